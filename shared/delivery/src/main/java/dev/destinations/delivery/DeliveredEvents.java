package dev.destinations.delivery;

/**
 * Which non-idempotent event writes were already delivered, so an SQS redelivery or a producer's re-send of the
 * same {@code messageId} is not written to the vendor twice (README "Duplicate events"). Only writes the vendor
 * would repeat use it ({@link Destination#deduplicates}); identify and group are upserts and never do.
 *
 * <p>A key is claimed before the write, completed after it, released when the write failed. A claim expires on its
 * own (shorter than the queue's visibility timeout), so an instance that died mid-write blocks its message only
 * until the next receive. The store never stops delivery: when it fails it answers {@link Claim#UNAVAILABLE} and
 * the event is delivered as before (at least once). Implementations are thread-safe and never throw.
 */
public interface DeliveredEvents {
    enum Claim {
        /** This caller may write; it must then {@link #complete} or {@link #release} the key. */
        CLAIMED,
        /** Written within the window: skip as {@link Reason#DUPLICATE}. */
        ALREADY_DELIVERED,
        /** Another delivery holds an unexpired claim: retry later ({@link Reason#IN_FLIGHT}). */
        IN_FLIGHT,
        /** The store could not answer: deliver anyway, without a claim. */
        UNAVAILABLE
    }

    Claim claim(String key);

    /** The write succeeded: the key stays delivered for the window. */
    void complete(String key);

    /** The write failed: drop this caller's claim so the retry can claim it at once. */
    void release(String key);

    /** No store (deduplication off): every claim succeeds and nothing is remembered. */
    static DeliveredEvents none() {
        return NONE;
    }

    DeliveredEvents NONE = new DeliveredEvents() {
        @Override
        public Claim claim(String key) {
            return Claim.CLAIMED;
        }

        @Override
        public void complete(String key) {}

        @Override
        public void release(String key) {}
    };
}
