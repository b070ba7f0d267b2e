package dev.destinations.delivery;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the events of one SQS batch share: for each destination, the state it declares ({@link State}), under a
 * typed {@link Key}, made on first use. So a user or company is looked up once per batch, not once per event.
 * Thread-safe, and so must each state be: different users of a batch run concurrently.
 */
public final class BatchMemo {
    /** What a destination remembers within a batch, by lookup key (a URL). Thread-safe. */
    public interface State {
        /** Drops what is remembered under {@code key}: the record it named is gone at the vendor (D24). */
        void forget(String key);
    }

    /** Names one kind of state and makes it; compared by identity, so declare each once, as a constant. */
    public static final class Key<T extends State> {
        private final Supplier<T> create;

        public Key(Supplier<T> create) {
            this.create = Objects.requireNonNull(create);
        }
    }

    private final Map<Key<?>, State> states = new ConcurrentHashMap<>();

    /** This batch's state for {@code key}, made on first use. */
    @SuppressWarnings("unchecked") // each key makes only its own type
    public <T extends State> T get(Key<T> key) {
        return (T) states.computeIfAbsent(key, k -> k.create.get());
    }

    /** Forgets {@code key} in every state of the batch. */
    void forget(String key) {
        states.values().forEach(s -> s.forget(key));
    }
}
