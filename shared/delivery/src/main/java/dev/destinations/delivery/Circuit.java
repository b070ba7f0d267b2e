package dev.destinations.delivery;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One instance's circuit for its vendor: after {@code threshold} failures in a row (no answer, 408 or 5xx: what
 * {@link Classifier} calls NETWORK or VENDOR_UNAVAILABLE) it opens, and calls fail at once with
 * {@link Reason#CIRCUIT_OPEN} (retried with backoff) instead of reaching a vendor that is down. After
 * {@code openFor} it lets one probe call through (half-open): an answer closes it, a failure opens it again. So a
 * vendor outage costs each instance one call per {@code openFor}, not one per message. Thread-safe.
 */
public final class Circuit {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier clock;
    private int failures;
    private long openUntil;
    private boolean probing;

    public Circuit(int threshold, Duration openFor, LongSupplier nanoClock) {
        this.threshold = Math.max(1, threshold);
        this.openForNanos = openFor.toNanos();
        this.clock = nanoClock;
    }

    /** A circuit that never opens (threshold 0 in the settings). */
    public static Circuit never() {
        return new Circuit(Integer.MAX_VALUE, Duration.ZERO, System::nanoTime);
    }

    /** Before a call: returns normally when it may go out, else throws CIRCUIT_OPEN. */
    public synchronized void admit() {
        if (failures < threshold) return;
        long now = clock.getAsLong();
        if (now - openUntil < 0 || probing) {
            long waitMs = Math.max(0, (openUntil - now) / 1_000_000);
            throw new Failure(Reason.CIRCUIT_OPEN, "not sent: the vendor failed " + failures + " times in a row; "
                    + (probing ? "a probe call is under way" : "next probe in " + waitMs + " ms"), 0, null);
        }
        probing = true; // this call is the half-open probe
    }

    /** After a call that got an answer the vendor is up for (anything but 408/5xx). */
    public synchronized void succeeded() {
        failures = 0;
        probing = false;
    }

    /** After a call that got no answer, a 408 or a 5xx. */
    public synchronized void failed() {
        failures = Math.min(failures + 1, Integer.MAX_VALUE - 1);
        probing = false;
        if (failures >= threshold) openUntil = clock.getAsLong() + openForNanos;
    }

    /** The admitted call was not sent after all (its rate budget said no): the next one may probe. */
    public synchronized void abandoned() {
        probing = false;
    }

    public synchronized State state() {
        if (failures < threshold) return State.CLOSED;
        return probing || clock.getAsLong() - openUntil >= 0 ? State.HALF_OPEN : State.OPEN;
    }
}
