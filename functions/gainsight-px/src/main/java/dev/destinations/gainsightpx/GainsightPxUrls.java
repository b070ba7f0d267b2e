package dev.destinations.gainsightpx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.UrlEncoding;

/** Every Gainsight PX URL a flow calls, built here from the message's base URL (no trailing slash). */
record GainsightPxUrls(String base) {
    String users() {
        return base + "/users";
    }

    /** One user; also the key under which the batch and the instance remember that it exists. */
    String user(JsonNode uid) {
        return base + "/users/" + UrlEncoding.pathSegment(uid.asText());
    }

    String accounts() {
        return base + "/accounts";
    }

    /** One account; also the key under which the batch and the instance remember that it exists. */
    String account(JsonNode gid) {
        return base + "/accounts/" + UrlEncoding.pathSegment(gid.asText());
    }

    String customEvents() {
        return base + "/events/custom";
    }
}
