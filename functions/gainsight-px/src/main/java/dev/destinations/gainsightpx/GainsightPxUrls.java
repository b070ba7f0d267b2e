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

    /** A hard delete of one user (D48): PX will not revive it when it is written again within 7 days. */
    String hardDelete(String identifyId) {
        return base + "/users/" + UrlEncoding.pathSegment(identifyId) + "?hardDelete=true";
    }

    /** The hard delete that takes the id in the body, for ids that cannot go in a path ({@link #pathSafe}). */
    String hardDeleteById() {
        return base + "/users/delete?hardDelete=true";
    }

    /**
     * Whether an id can go in a PX path: PX offers body variants for "identify IDs with special characters"
     * (GPX-SW); a Spring server refuses an encoded slash, backslash or percent, a semicolon and the segments
     * {@code .} and {@code ..}. So: printable ASCII without those, and not the word {@code delete} (which would name the body variant).
     */
    static boolean pathSafe(String id) {
        if (id.isEmpty() || id.equals(".") || id.equals("..") || id.equals("delete")) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 127 || c == '/' || c == '\\' || c == '%' || c == ';') return false;
        }
        return true;
    }
}
