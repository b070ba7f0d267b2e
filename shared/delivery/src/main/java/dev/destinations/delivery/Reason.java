package dev.destinations.delivery;

/**
 * Why a message was not delivered: one shared vocabulary for logs, metrics, DLQ attributes and the README's
 * runbook. Each reason has exactly one disposition; a destination never decides dispositions itself.
 */
public enum Reason {
    /** The body is not a JSON object, or its {@code type} is missing or unknown. */
    INVALID_EVENT(Disposition.PARK),
    /** A required value is missing or a value is not allowed (the reference's validation messages). */
    VALIDATION(Disposition.PARK),
    /** A known spec type this destination does not handle (D12). */
    NOT_HANDLED(Disposition.SKIP),
    /** The event's {@code integrations} object switches this destination off (D13). */
    DISABLED(Disposition.SKIP),
    /** A track, page or screen with no identity the destination accepts: pre-login traffic, not a producer bug (D20). */
    UNIDENTIFIED(Disposition.SKIP),
    /** The user denied a consent this destination requires (RudderStack's consent settings, or Segment's consentCategories; D43, D44). */
    CONSENT_DENIED(Disposition.SKIP),
    /** The destination's event filter (eventFilteringOption) keeps this track event from it (D45). */
    FILTERED(Disposition.SKIP),
    /** A non-idempotent event write already delivered within the deduplication window (its messageId was claimed and completed). */
    DUPLICATE(Disposition.SKIP),
    /** Not sent: another delivery of the same event holds an unexpired claim; retried, the claim expires before the next receive. */
    IN_FLIGHT(Disposition.RETRY),
    /**
     * The event's user was deleted or suppressed at this destination (README "User deletion", D49): nothing is sent,
     * whatever route the event came by, until the suppression is lifted or expires.
     */
    SUPPRESSED(Disposition.SKIP),
    /**
     * The suppression store could not be read or written (D49): the event is retried, never delivered unchecked
     * (unlike deduplication, this store fails closed); an erasure message is retried likewise.
     */
    SUPPRESSION_UNAVAILABLE(Disposition.RETRY),
    /** Settings are invalid or the API key is missing (D8): retried so that fixing the settings releases the backlog. */
    CONFIGURATION(Disposition.RETRY),
    /** Secrets Manager could not be read (unavailable, secret missing, or not readable). */
    SECRET_UNAVAILABLE(Disposition.RETRY),
    /** The vendor refused the key: 401 after one secret refresh, or 403 (D15). */
    AUTH(Disposition.PARK),
    /** The vendor rejected the request for good: other 4xx, 3xx, 501 (D2). */
    VENDOR_REJECTED(Disposition.PARK),
    /** A lookup found nothing while the message is young: the user's identify may still be queued (D11). */
    DEPENDENCY_NOT_READY(Disposition.RETRY),
    /** A lookup still finds nothing after the receives D11 allows. */
    NOT_FOUND(Disposition.PARK),
    /** 429 from the vendor; honours Retry-After. */
    RATE_LIMITED(Disposition.RETRY),
    /**
     * Not sent: the call would overrun this instance's share of the vendor's daily quota, or its paced turn comes
     * after the invocation's deadline (D38). Retried with a Retry-After at the next turn or quota day; the vendor
     * never saw it, so it never ends a message's retry window.
     */
    DAILY_QUOTA(Disposition.RETRY),
    /** 408 or 5xx (except 501) from the vendor. */
    VENDOR_UNAVAILABLE(Disposition.RETRY),
    /** No HTTP response: timeout, connection refused or reset, DNS. */
    NETWORK(Disposition.RETRY),
    /** Not sent: this instance's circuit is open after consecutive vendor failures (a vendor outage). */
    CIRCUIT_OPEN(Disposition.RETRY),
    /** Not started: too little time left in the invocation. Retried without backoff. */
    DEADLINE(Disposition.RETRY, true),
    /** Not started: an earlier message of the same FIFO group was not delivered (D14). Retried without backoff. */
    FIFO_GROUP_BLOCKED(Disposition.RETRY, true),
    /** Not started: an earlier event of the same user in this batch body is retried, and this one goes after it (D19). Retried without backoff. */
    USER_ORDER_BLOCKED(Disposition.RETRY, true),
    /** An event of a batch body to retry that the source queue did not take back: parked, so it is neither lost nor its neighbours written twice (D19). */
    REQUEUE_FAILED(Disposition.PARK),
    /** The body is an S3 pointer (the extended clients' payload offloading, D59) whose object is gone: parked, nothing to fetch. */
    PAYLOAD_MISSING(Disposition.PARK),
    /** An offloaded body larger than PAYLOAD_MAX_BYTES: parked naming its size, never fetched (D59). */
    PAYLOAD_TOO_LARGE(Disposition.PARK),
    /** An S3 pointer while PayloadBucketName is empty, or to another bucket: parked, the function may not read it (D59). */
    PAYLOAD_NOT_ALLOWED(Disposition.PARK),
    /** S3 could not be read (unavailable, throttled, access denied): retried, the object stays. */
    PAYLOAD_UNAVAILABLE(Disposition.RETRY),
    /** The DLQ could not take a message that had to be parked, so it stays on the queue. */
    PARKING_FAILED(Disposition.RETRY),
    /** A deletion was made but its second pass (D62) could not be put on its queue: retried, deleting again is done. */
    SECOND_PASS_UNSCHEDULED(Disposition.RETRY),
    /** An unexpected exception in this project's code: retried; a poison message reaches the DLQ by receive count. */
    INTERNAL_ERROR(Disposition.RETRY);

    /** What happens to a message that ends with this reason. */
    public enum Disposition { SKIP, PARK, RETRY }

    private final Disposition disposition;
    private final boolean retriesImmediately;
    private final String code;

    Reason(Disposition disposition) {
        this(disposition, false);
    }

    Reason(Disposition disposition, boolean retriesImmediately) {
        this.disposition = disposition;
        this.retriesImmediately = retriesImmediately;
        this.code = name().toLowerCase(java.util.Locale.ROOT);
    }

    public Disposition disposition() {
        return disposition;
    }

    /**
     * True for a message that was never started (nothing was wrong with it): retried at once, without backoff. Every
     * other retry waits by its receive count or the vendor's Retry-After.
     */
    public boolean retriesImmediately() {
        return retriesImmediately;
    }

    /** The snake_case code used in logs, metrics and DLQ attributes. */
    public String code() {
        return code;
    }
}
