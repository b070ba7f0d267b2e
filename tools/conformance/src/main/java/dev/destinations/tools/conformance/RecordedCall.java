package dev.destinations.tools.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.StubbedFunction;
import java.util.Map;

/**
 * A request the stub recorded, seen as the vendor would have seen it. The destination was pointed at
 * {@code http://127.0.0.1:PORT/<vendor host><base path>}, so the first path segment is the vendor's host.
 */
record RecordedCall(String method, String url, Map<String, String> query, String rawPath, String rawQuery,
                    VendorStub.Recorded wire) {

    static RecordedCall of(VendorStub.Recorded r) {
        String raw = r.rawPath();
        int rawSlash = raw.indexOf('/', 1);
        String rawVendorPath = rawSlash < 0 ? "/" : raw.substring(rawSlash);
        return new RecordedCall(r.method(), StubbedFunction.vendorUrl(r), r.query(), rawVendorPath, r.rawQuery() == null ? "" : r.rawQuery(), r);
    }

    JsonNode json() {
        try {
            return wire.body().isEmpty() ? null : Json.parse(wire.body());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    String header(String name) {
        return wire.header(name);
    }

    @Override
    public String toString() {
        return method + " " + url + (query.isEmpty() ? "" : "?" + query);
    }
}
