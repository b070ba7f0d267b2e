package dev.destinations.usercom;

import dev.destinations.delivery.UrlEncoding;
import java.util.regex.Pattern;

/**
 * Every User.com URL a flow calls, built here from the message's base URL (no trailing slash). Lookup URLs are also
 * the keys under which a batch and the instance remember what they found.
 */
record UserComUrls(String base) {
    /**
     * What a custom id may hold to sit in a path, as the contract's {@code ids.custom_id.pattern} says: no {@code /},
     * {@code %}, {@code ?}, {@code #} or backslash, and not {@code .} or {@code ..} (path steps). Percent-encoded, those
     * may be decoded before the vendor routes the request, and a lookup then reads as "not found" (D33).
     */
    private static final Pattern PATH_SAFE = UserComContract.idPattern("users-by-id.get", "custom_id");

    static boolean pathSafe(String customId) {
        return PATH_SAFE.matcher(customId).matches();
    }

    /** {@code /users/search/?<param>=<value>}, the value percent-encoded (D5: a + in an email stays a plus). */
    String search(String param, String value) {
        return base + "/users/search/?" + param + "=" + UrlEncoding.queryValue(value);
    }

    String userById(String userId) {
        return base + "/users-by-id/" + UrlEncoding.pathSegment(userId) + "/";
    }

    /** {@code /users/update_or_create/}: the upsert by the custom id in the body (D32, D33). */
    String updateOrCreate() {
        return base + "/users/update_or_create/";
    }

    /** {@code /users-by-id/<custom_id>/events/}: an event for a user by custom id, no lookup (D32). */
    String userEvents(String customId) {
        return userById(customId) + "events/";
    }

    String users() {
        return base + "/users/";
    }

    String user(String id) {
        return base + "/users/" + UrlEncoding.pathSegment(id) + "/";
    }

    String events() {
        return base + "/events/";
    }

    String siteViews() {
        return base + "/site-views/";
    }

    String companyById(String groupId) {
        return base + "/companies-by-id/" + UrlEncoding.pathSegment(groupId) + "/";
    }

    String companies() {
        return base + "/companies/";
    }

    String company(String id) {
        return base + "/companies/" + UrlEncoding.pathSegment(id) + "/";
    }

    /** Not a URL: the key under which the instance remembers a group it wrote for this company and user (D34). */
    String membership(String groupId, String userId) {
        return companyById(groupId) + "#member=" + UrlEncoding.queryValue(userId);
    }

    String addMember(String companyId) {
        return base + "/companies/" + UrlEncoding.pathSegment(companyId) + "/add_member/";
    }
}
