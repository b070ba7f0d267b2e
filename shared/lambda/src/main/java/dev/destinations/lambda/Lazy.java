package dev.destinations.lambda;

import java.util.function.Supplier;

/** A value built on first use, once, by whichever thread asks first: the SDK clients a cold start need not pay for. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> build;
    private volatile T value;

    Lazy(Supplier<T> build) {
        this.build = build;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) value = v = build.get();
            }
        }
        return v;
    }

    /** The value if it was built, else null (nothing is built). */
    T ifBuilt() {
        return value;
    }
}
