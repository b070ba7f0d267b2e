package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the runtime reads from User.com's contract ({@code contract.json}, beside the rule files; the tests check
 * every request against the whole of it): the documented length limits of a body and the characters a path id may
 * hold. So each of those rules is written once, in the contract, with its source.
 */
final class UserComContract {
    private static final JsonNode ROOT = read();

    private UserComContract() {}

    /** The {@code maxLength} of each body field of endpoint {@code name}, in contract order. */
    static Map<String, Integer> maxLengths(String name) {
        Map<String, Integer> out = new LinkedHashMap<>();
        endpoint(name).path("body").path("fields").properties().forEach(f -> {
            if (f.getValue().has("maxLength")) out.put(f.getKey(), f.getValue().get("maxLength").asInt());
        });
        return Collections.unmodifiableMap(out);
    }

    /** The body fields of endpoint {@code name} that the vendor sets itself ({@code readOnly}): never sent (D29). */
    static java.util.Set<String> readOnly(String name) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        endpoint(name).path("body").path("fields").properties().forEach(f -> {
            if (f.getValue().path("readOnly").asBoolean(false)) out.add(f.getKey());
        });
        return Collections.unmodifiableSet(out);
    }

    /** The {@code pattern} a path id of endpoint {@code name} must match. */
    static Pattern idPattern(String name, String id) {
        JsonNode p = endpoint(name).path("ids").path(id).path("pattern");
        if (!p.isTextual()) throw new IllegalStateException("User.com contract: " + name + " has no pattern for " + id);
        return Pattern.compile(p.asText());
    }

    private static JsonNode endpoint(String name) {
        for (JsonNode e : ROOT.path("endpoints")) {
            if (name.equals(e.path("name").asText())) return e;
        }
        throw new IllegalStateException("User.com contract has no endpoint " + name);
    }

    private static JsonNode read() {
        try (InputStream in = UserComContract.class.getResourceAsStream("contract.json")) {
            if (in == null) throw new IllegalStateException("User.com contract.json is not on the classpath");
            return Json.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read User.com's contract.json", e);
        }
    }
}
