package dev.destinations.usercom;

import dev.destinations.delivery.UrlEncoding;

/**
 * Every User.com URL a flow calls, built here from the message's base URL (no trailing slash). Lookup URLs are also
 * the keys under which a batch and the instance remember what they found.
 */
record UserComUrls(String base) {
    /** {@code /users/search/?<param>=<value>}, the value percent-encoded (D5: a + in an email stays a plus). */
    String search(String param, String value) {
        return base + "/users/search/?" + param + "=" + UrlEncoding.queryValue(value);
    }

    String userById(String userId) {
        return base + "/users-by-id/" + UrlEncoding.pathSegment(userId) + "/";
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

    String addMember(String companyId) {
        return base + "/companies/" + UrlEncoding.pathSegment(companyId) + "/add_member/";
    }
}
