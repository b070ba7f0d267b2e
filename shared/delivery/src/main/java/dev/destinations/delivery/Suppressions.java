package dev.destinations.delivery;

import java.util.List;

/**
 * The users deleted or suppressed at this destination, and the receipts of deletions (README "User deletion",
 * D49-D51). The store keeps a keyed one-way hash of each id, never the id. It fails closed: every method throws a
 * {@link Failure} with {@link Reason#SUPPRESSION_UNAVAILABLE} when it cannot answer, so an event whose user may be
 * suppressed is retried rather than delivered. Implementations are thread-safe.
 */
public interface Suppressions {
    /** Whether {@code userId} is suppressed now. */
    boolean suppressed(String userId);

    /** Suppresses every user of {@code userIds} (a deletion, or a suppress message) until lifted or expired. */
    void suppress(List<String> userIds);

    /** Lifts the suppression of every user of {@code userIds} (an unsuppress message). */
    void lift(List<String> userIds);

    /** Records what deletion request {@code requestId} did at this destination: each vendor call, hashed ids only. */
    void receipt(String requestId, List<String> userIds, List<Erasure.Call> calls);

    /** False for {@link #none()}: no store is configured. */
    default boolean enabled() {
        return true;
    }

    /** No store (SUPPRESSION_TABLE unset): nothing is suppressed, and nothing can be. */
    static Suppressions none() {
        return NONE;
    }

    Suppressions NONE = new Suppressions() {
        @Override public boolean suppressed(String userId) { return false; }
        @Override public void suppress(List<String> userIds) { throw unavailable(); }
        @Override public void lift(List<String> userIds) { throw unavailable(); }
        @Override public void receipt(String requestId, List<String> userIds, List<Erasure.Call> calls) {}
        @Override public boolean enabled() { return false; }

        private Failure unavailable() {
            return new Failure(Reason.CONFIGURATION, "suppression is not configured (SUPPRESSION_TABLE is empty): suppress and unsuppress cannot be recorded");
        }
    };
}
