package dev.destinations.custify;

import dev.destinations.delivery.UrlEncoding;

/** Every Custify URL a flow calls, built here from the message's base URL (no trailing slash). */
record CustifyUrls(String base) {
    String people() {
        return base + "/people";
    }

    String event() {
        return base + "/event";
    }

    String company() {
        return base + "/company";
    }

    /** One person by user id, for deletion: the id percent-encoded as a query value (D5). */
    String person(String userId) {
        return base + "/people?user_id=" + UrlEncoding.queryValue(userId);
    }
}
