package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One vendor payload's field rules, loaded from a JSON resource and compiled once (the reference's
 * "constructPayload", spec 1.1). A rule file looks like:
 *
 * <pre>{"rules": [
 *   {"to": "user_id", "from": "@userIdOnly"},                           generic key, rule A
 *   {"to": "session_count", "from": ["traits.sessionCount", "..."]},    candidate list, rule A
 *   {"to": "name", "from": "event", "required": true},                  one path, rule B
 *   {"to": "user_id", "from": "@userId", "required": true, "identity": true}   missing = no identity (D20)
 *   {"to": "gender", "from": "@gender", "format": "strictMap", "map": {"2": ["M", "male"]}}
 * ]}</pre>
 *
 * Rules run in file order; a value is written (dotted {@code to} makes nested objects) only when it is truthy,
 * {@code 0} or {@code false}. Thread-safe and immutable.
 */
public final class FieldRules {
    private final List<Rule> rules;

    private FieldRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Loads rules from a classpath resource next to {@code anchor}; a malformed file fails class initialisation. */
    public static FieldRules load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing rule file " + resource);
            return parse(Json.parse(in));
        } catch (IOException e) {
            throw new UncheckedIOException("rule file " + resource, e);
        }
    }

    static FieldRules parse(JsonNode file) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : file.path("rules")) rules.add(Rule.parse(r));
        if (rules.isEmpty()) throw new IllegalArgumentException("a rule file needs a non-empty \"rules\" list");
        return new FieldRules(rules);
    }

    /** Builds the payload. Throws {@link ValidationException} with the reference's message for a missing required value. */
    public ObjectNode apply(JsonNode event) {
        ObjectNode out = Json.object();
        for (Rule rule : rules) rule.apply(event, out);
        return out;
    }

    private record Rule(Path to, Lookup lookup, Path single, boolean required, boolean identity, Formatter format, Map<String, JsonNode> table) {
        static Rule parse(JsonNode r) {
            Path to = Path.of(r.path("to").asText());
            JsonNode from = r.path("from");
            Lookup lookup;
            Path single = null;
            if (from.isArray()) {
                List<String> paths = new ArrayList<>();
                from.forEach(p -> paths.add(p.asText()));
                lookup = Lookup.of(paths.toArray(String[]::new));
            } else if (from.asText().startsWith("@")) {
                lookup = Lookup.generic(from.asText().substring(1));
            } else {
                lookup = Lookup.of(from.asText());
                single = Path.of(from.asText());
            }
            Formatter format = r.hasNonNull("format") ? Formatter.byName(r.get("format").asText()) : null;
            Map<String, JsonNode> table = null;
            if (format == Formatter.MAP || format == Formatter.STRICT_MAP) {
                table = new HashMap<>();
                for (var e : r.path("map").properties()) {
                    JsonNode target = numberOrText(e.getKey());
                    for (JsonNode source : e.getValue()) table.put(source.asText(), target);
                }
                if (table.isEmpty()) throw new IllegalArgumentException("rule for " + to + " needs a \"map\"");
            }
            return new Rule(to, lookup, single, r.path("required").asBoolean(false), r.path("identity").asBoolean(false), format, table);
        }

        private static JsonNode numberOrText(String key) {
            try {
                return Json.NODES.numberNode(Long.parseLong(key));
            } catch (NumberFormatException e) {
                return Json.NODES.textNode(key);
            }
        }

        void apply(JsonNode event, ObjectNode out) {
            // rule B (one plain path) returns the raw value, "" included; rule A skips absent candidates
            JsonNode value = single != null ? single.get(event) : lookup.find(event);
            if (format != null && !value.isMissingNode() && !value.isNull()) value = format(value);
            if (value != null && (Json.isTruthy(value) || value.isBoolean() || value.isNumber())) {
                to.set(out, value);
            } else if (required) {
                String message = "Missing required value from " + lookup.source();
                throw identity ? ValidationException.missingIdentity(message) : new ValidationException(message);
            }
        }

        private JsonNode format(JsonNode value) {
            if (format == Formatter.MAP) return Formatter.lookUp(table, value);
            if (format == Formatter.STRICT_MAP) {
                JsonNode mapped = Formatter.lookUp(table, value);
                if (mapped == null) throw new ValidationException("Invalid entry for key " + to.text());
                return mapped;
            }
            return format.apply(value);
        }
    }
}
