package dev.destinations.delivery;

import java.time.Duration;

/**
 * What processing one message came to: delivered, or not, with a reason. Whether a failure is parked or retried
 * follows from its reason (and, in the batch runner, from the receive count).
 *
 * @param reason       null when delivered
 * @param detail       readable text for logs and the DLQ, redacted; null when delivered
 * @param vendorStatus the vendor's HTTP status of the failing call, 0 when none
 * @param retryAfter   the vendor's Retry-After, or null
 * @param vendorCalls  how many vendor requests this message made
 * @param vendorMillis time spent waiting for the vendor
 */
public record Verdict(Reason reason, String detail, int vendorStatus, Duration retryAfter, int vendorCalls, long vendorMillis) {
    public static Verdict delivered(int calls, long millis) {
        return new Verdict(null, null, 0, null, calls, millis);
    }

    public static Verdict of(Failure f, int calls, long millis) {
        return new Verdict(f.reason(), f.getMessage(), f.vendorStatus(), f.retryAfter(), calls, millis);
    }

    public static Verdict of(Reason reason, String detail) {
        return new Verdict(reason, detail, 0, null, 0, 0);
    }

    public boolean delivered() {
        return reason == null;
    }

    public Reason.Disposition disposition() {
        return reason == null ? null : reason.disposition();
    }
}
