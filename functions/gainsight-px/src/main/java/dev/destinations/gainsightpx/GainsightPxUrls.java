package dev.destinations.gainsightpx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.UrlEncoding;

/**
 * Every Gainsight PX URL a flow calls, built here from the message's base URL (no trailing slash).
 *
 * <p>D35: an id that PX cannot take in a path is sent in the body, through PX's id-in-body variants ({@code PUT
 * /users/update}, {@code PUT /accounts/update}, {@code DELETE /users/delete}; GPX-SW: "useful when the ID contains
 * special characters that make it impossible to use the ... method with the ID in the request path"). The Swagger
 * does not name the characters; PX is a Spring application (springfox operation ids), whose default
 * StrictHttpFirewall rejects a path holding an encoded {@code /}, {@code \}, {@code %} or {@code ;}, a non-printable
 * character, or a {@code .}/{@code ..} step. {@code ?} and {@code #} (delimiters that proxies mishandle) go in the
 * body too: the variant costs nothing. The rule is {@link #inPath}.
 */
record GainsightPxUrls(String base) {
    /** The characters (besides control characters) that keep an id out of a PX path (D35). */
    static final String NOT_IN_PATH = "/\\%;?#";

    /** Whether {@code id} may sit in a PX path (D35); otherwise the flows use the id-in-body variants. */
    static boolean inPath(JsonNode id) {
        String s = id.asText();
        // "update" and "delete" in a path would name the body variants themselves (PUT /users/update, DELETE /users/delete)
        if (s.equals(".") || s.equals("..") || s.equals("update") || s.equals("delete")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || NOT_IN_PATH.indexOf(c) >= 0) return false;
        }
        return true;
    }

    String users() {
        return base + "/users";
    }

    /**
     * One user; also the key under which the batch and the instance remember that it exists (also for an id that
     * is not sent in a path).
     */
    String user(JsonNode uid) {
        return base + "/users/" + UrlEncoding.pathSegment(uid.asText());
    }

    /** The update of a user whose id is in the body (D35). */
    String userUpdate() {
        return base + "/users/update";
    }

    String accounts() {
        return base + "/accounts";
    }

    /** One account; also the key under which the batch and the instance remember that it exists. */
    String account(JsonNode gid) {
        return base + "/accounts/" + UrlEncoding.pathSegment(gid.asText());
    }

    /** The update of an account whose id is in the body (D35). */
    String accountUpdate() {
        return base + "/accounts/update";
    }

    String customEvents() {
        return base + "/events/custom";
    }

    /** A hard delete of one user (D48): PX will not revive it when it is written again within 7 days. */
    String hardDelete(String identifyId) {
        return base + "/users/" + UrlEncoding.pathSegment(identifyId) + "?hardDelete=true";
    }

    /** The hard delete that takes the id in the body, for ids that cannot go in a path ({@link #inPath}). */
    String hardDeleteById() {
        return base + "/users/delete?hardDelete=true";
    }
}
