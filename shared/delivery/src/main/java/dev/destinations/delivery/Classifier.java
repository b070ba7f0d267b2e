package dev.destinations.delivery;

/**
 * The one place that turns a vendor's answer into a reason (spec 1.5 and decisions D2, D15). Every call of every
 * flow goes through here; destinations only choose the message text. Never throws.
 *
 * <pre>
 * 2xx                      success
 * 401, 403                 AUTH               park (a 401 has already been retried once with a refreshed key)
 * 408, 5xx except 501      VENDOR_UNAVAILABLE retry
 * 429                      RATE_LIMITED       retry, honouring Retry-After
 * anything else            VENDOR_REJECTED    park (other 4xx, 3xx, 1xx, 501)
 * no response              NETWORK            retry
 * </pre>
 */
public final class Classifier {
    static final int EXCERPT_CHARS = 200;

    private Classifier() {}

    /** The failure for a non-2xx answer; {@code message} leads the detail, the status and a body excerpt follow. */
    public static Failure failure(VendorResponse response, String message) {
        int status = response.status();
        String detail = message + " (HTTP " + status + excerpt(response.body()) + ")";
        return new Failure(reasonFor(status), detail, status, response.retryAfter());
    }

    /**
     * The failure for a non-2xx answer whose body the flow has already put into {@code text} (a reference's own error
     * text): the status follows, no excerpt.
     */
    public static Failure failureWithText(VendorResponse response, String text) {
        int status = response.status();
        return new Failure(reasonFor(status), text + " (HTTP " + status + ")", status, response.retryAfter());
    }

    /** The vendor refused the request's content (400): some references word that failure differently. */
    public static boolean badRequest(int status) {
        return status == 400;
    }

    /** The vendor has no such record: a lookup's "not found" (D1), or a write to an id that no longer exists. */
    public static boolean notFound(int status) {
        return status == 404;
    }

    public static Reason reasonFor(int status) {
        if (status == 401 || status == 403) return Reason.AUTH;
        if (status == 429) return Reason.RATE_LIMITED;
        if (status == 408 || (status >= 500 && status != 501)) return Reason.VENDOR_UNAVAILABLE;
        return Reason.VENDOR_REJECTED;
    }

    /** ": " and the first characters of a body on one line, or "" for an empty body. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) return "";
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() <= EXCERPT_CHARS ? oneLine : oneLine.substring(0, EXCERPT_CHARS) + "...");
    }
}
