package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request to a vendor, before authentication is added. URLs are complete: values placed in a path or a
 * query have been encoded with {@link UrlEncoding} by the flow that built them.
 */
public record VendorRequest(String method, String url, Map<String, String> headers, JsonNode body) {
    public static VendorRequest get(String url) {
        return new VendorRequest("GET", url, Map.of(), null);
    }

    public static VendorRequest delete(String url) {
        return new VendorRequest("DELETE", url, Map.of(), null);
    }

    /** A DELETE with a JSON body (Gainsight PX's {@code DELETE /v1/users/delete}, for ids that cannot go in a path). */
    public static VendorRequest delete(String url, JsonNode body) {
        return new VendorRequest("DELETE", url, Map.of(), body);
    }

    public static VendorRequest post(String url, JsonNode body) {
        return new VendorRequest("POST", url, Map.of(), body);
    }

    public static VendorRequest put(String url, JsonNode body) {
        return new VendorRequest("PUT", url, Map.of(), body);
    }

    /** The same request with one more header. */
    public VendorRequest header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new VendorRequest(method, url, h, body);
    }

    /** GET, PUT and DELETE may be repeated after a connection reset; POST may not. */
    public boolean idempotent() {
        return !method.equals("POST");
    }
}
