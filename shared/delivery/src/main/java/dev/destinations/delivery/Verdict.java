package dev.destinations.delivery;

import java.time.Duration;
import java.util.List;

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
 * @param valuesCut    the vendor fields whose values were cut to the vendor's documented length (names only, never
 *                     the values; D31), empty when none
 */
public record Verdict(Reason reason, String detail, int vendorStatus, Duration retryAfter, int vendorCalls, long vendorMillis,
                      List<String> valuesCut) {
    public Verdict {
        valuesCut = List.copyOf(valuesCut);
    }

    public Verdict(Reason reason, String detail, int vendorStatus, Duration retryAfter, int vendorCalls, long vendorMillis) {
        this(reason, detail, vendorStatus, retryAfter, vendorCalls, vendorMillis, List.of());
    }

    public static Verdict delivered(int calls, long millis) {
        return new Verdict(null, null, 0, null, calls, millis);
    }

    /** Delivered, some values cut to the vendor's limits on the way (D31). */
    public static Verdict delivered(int calls, long millis, List<String> valuesCut) {
        return new Verdict(null, null, 0, null, calls, millis, valuesCut);
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
