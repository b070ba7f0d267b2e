package dev.destinations.lambda;

import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.Reason;
import java.time.Duration;
import java.time.Instant;

/**
 * The receive-count and time rules, in one place: what a message's outcome comes to given how often, and since
 * when, SQS has delivered it. Asked by {@link BatchRunner} for every outcome that is not delivered.
 * <ul>
 *   <li>D11: a lookup that found nothing (DEPENDENCY_NOT_READY, retried while the user's identify may still be
 *       queued) is final, NOT_FOUND and parked, from the {@code dependencyRetryReceives}-th receive on;</li>
 *   <li>retries end by time: a retry {@code retryWindow} or more after the first receive is parked instead
 *       (exhausted), never on a first receive (a sample event file's fixed timestamp must not end its retries);</li>
 *   <li>and on the queue's last receive ({@code maxReceiveCount}) a retry is parked (exhausted), before the
 *       redrive would move it without its reason.</li>
 *   <li>D38: a retry held back by the daily quota ({@link Reason#DAILY_QUOTA}) does not end the window.</li>
 * </ul>
 */
final class RetryPolicy {
    private final int dependencyRetryReceives;
    private final int maxReceiveCount;
    private final Duration retryWindow;

    RetryPolicy(int dependencyRetryReceives, int maxReceiveCount, Duration retryWindow) {
        this.dependencyRetryReceives = dependencyRetryReceives;
        this.maxReceiveCount = maxReceiveCount;
        this.retryWindow = retryWindow;
    }

    static RetryPolicy of(FunctionConfig config) {
        return new RetryPolicy(config.dependencyRetries(), config.maxReceiveCount(), config.retryWindow());
    }

    /** D11: the outcome, or for a lookup still finding nothing after the receives D11 allows, NOT_FOUND (same detail). */
    Verdict afterReceives(Verdict o, int receiveCount) {
        if (o.reason() != Reason.DEPENDENCY_NOT_READY || receiveCount < dependencyRetryReceives) return o;
        return new Verdict(Reason.NOT_FOUND, o.detail(), o.vendorStatus(), null, o.vendorCalls(), o.vendorMillis());
    }

    /**
     * For an outcome to retry: null while it may be retried, else the detail it is parked with (exhausted): how
     * many receives over how long, then its own detail.
     *
     * @param firstReceived when SQS first delivered the message, or null when unknown
     */
    String exhausted(Verdict retry, int receiveCount, Instant firstReceived, Instant now) {
        Duration age = firstReceived == null ? Duration.ZERO : Duration.between(firstReceived, now);
        // D38: a call held back for the daily quota was never sent; a backlog of several days' quota must not park
        boolean windowOver = receiveCount > 1 && age.compareTo(retryWindow) >= 0 && retry.reason() != Reason.DAILY_QUOTA;
        if (!windowOver && receiveCount < maxReceiveCount) return null;
        return "gave up after " + receiveCount + " receives" + (firstReceived == null ? "" : " in " + hoursAndMinutes(age)) + ": " + retry.detail();
    }

    private static String hoursAndMinutes(Duration d) {
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}
