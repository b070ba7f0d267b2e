package dev.destinations.delivery;

/**
 * The base-URL override (VENDOR_BASE_URL), trimmed here and nowhere else: {@link EventProcessor} trims it once, so
 * every destination's {@link Destination#baseUrl} gets it without surrounding whitespace and without a trailing
 * slash, ready for {@code base + "/path"}.
 */
public final class BaseUrl {
    private BaseUrl() {}

    /** Null when unset or blank; else stripped of surrounding whitespace and of one trailing slash. */
    public static String override(String raw) {
        if (raw == null || raw.isBlank()) return null;
        String url = raw.strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
