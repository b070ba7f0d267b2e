package dev.destinations.delivery;

import java.time.Duration;

/**
 * A message could not be delivered, with its classified reason. Thrown by flows and by {@link VendorClient};
 * caught once, by {@link EventProcessor}. The detail never contains a secret (see {@link Redactor}).
 */
public final class Failure extends RuntimeException {
    private final Reason reason;
    private final int vendorStatus;
    private final Duration retryAfter;

    public Failure(Reason reason, String detail) {
        this(reason, detail, 0, null);
    }

    public Failure(Reason reason, String detail, int vendorStatus, Duration retryAfter) {
        super(detail, null, false, false); // flows use failures for control: no stack trace to fill
        this.reason = reason;
        this.vendorStatus = vendorStatus;
        this.retryAfter = retryAfter;
    }

    public Reason reason() {
        return reason;
    }

    /** The vendor's HTTP status, or 0 when there was no response. */
    public int vendorStatus() {
        return vendorStatus;
    }

    /** The vendor's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The same failure with a reason text in front (the reference's message for the step that failed). */
    public Failure prefixed(String prefix) {
        return new Failure(reason, prefix + getMessage(), vendorStatus, retryAfter);
    }
}
