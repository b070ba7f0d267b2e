package dev.destinations.mapping;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the project, and the JavaScript-flavoured value tests the mapping rules need. */
public final class Json {
    /**
     * Shared, thread-safe. Integers stay integers and fractions are doubles, as in the reference's JavaScript;
     * nesting is bounded so a hostile body cannot exhaust the stack; trailing garbage is an error.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return new ObjectNode(NODES);
    }

    /** Parses text into a tree; the caller classifies the exception (invalid event or invalid settings). */
    public static JsonNode parse(String text) throws java.io.IOException {
        return MAPPER.readTree(text);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Absent in the JavaScript sense: missing, null or the empty string (NaN cannot occur in JSON). */
    public static boolean isAbsent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull() || (value.isTextual() && value.textValue().isEmpty());
    }

    /** JavaScript truthiness of a JSON value: objects and arrays are truthy even when empty. */
    public static boolean isTruthy(JsonNode value) {
        if (isAbsent(value)) return false;
        if (value.isBoolean()) return value.booleanValue();
        if (value.isNumber()) return value.doubleValue() != 0;
        return true;
    }

    /** A non-empty text value, or null. */
    public static String text(JsonNode value) {
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? value.textValue() : null;
    }

    /** Removes top-level keys whose value is null (the reference's removeUndefinedAndNull: not recursive). */
    public static ObjectNode stripNulls(ObjectNode node) {
        node.properties().removeIf(e -> e.getValue() == null || e.getValue().isNull());
        return node;
    }
}
