package dev.destinations.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * JSON in and out of Jackson trees, and the JavaScript-flavoured value tests the mapping rules need.
 *
 * <p>Trees are read and written with jackson-core's streaming parser and generator, not an {@link ObjectMapper}:
 * building the first ObjectMapper costs about 110 ms of a cold start (bin/cold-start, docs/performance.md), and a
 * function never needs data binding. The result is the same tree, node for node, that
 * {@code ObjectMapper.readTree} gives ({@code JsonTest} checks both ways on a corpus): integers stay integers and
 * fractions are doubles, as in the reference's JavaScript; nesting is bounded so a hostile body cannot exhaust
 * the stack; trailing garbage is an error; a repeated key keeps its first position and its last value.
 */
public final class Json {
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder().maxNestingDepth(200).build();
    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(LIMITS).build();

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** A full ObjectMapper with the same limits, for tools and tests; built on first use, never by a function. */
    public static ObjectMapper mapper() {
        return MapperHolder.MAPPER;
    }

    private static final class MapperHolder {
        static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public static ObjectNode object() {
        return new ObjectNode(NODES);
    }

    /** Parses text into a tree ({@link MissingNode} for empty text); the caller classifies the exception. */
    public static JsonNode parse(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return readDocument(p);
        }
    }

    /** Parses a stream (a bundled resource) into a tree. */
    public static JsonNode parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return readDocument(p);
        }
    }

    public static String write(JsonNode node) {
        return write(node, false);
    }

    /**
     * JavaScript's {@code JSON.stringify}: as {@link #write}, with numbers as JavaScript writes them ({@code 100}
     * for 100.0, {@code 1e+21}, {@code null} for a non-finite one). For JSON text that reaches the vendor inside a
     * string, where the reference's exact text is what the vendor stores.
     */
    public static String writeAsJavaScript(JsonNode node) {
        return write(node, true);
    }

    private static String write(JsonNode node, boolean javaScriptNumbers) {
        BufferRecycler buffers = FACTORY._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                write(g, node, javaScriptNumbers);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        } finally {
            buffers.releaseToPool();
        }
    }

    private static JsonNode readDocument(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) return MissingNode.getInstance();
        JsonNode root = read(p, first);
        JsonToken trailing = p.nextToken();
        if (trailing != null) throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value");
        return root;
    }

    private static JsonNode read(JsonParser p, JsonToken token) throws IOException {
        if (token == null) throw new JsonParseException(p, "Unexpected end-of-input");
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = new ObjectNode(NODES);
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.replace(name, read(p, p.nextToken()));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) throw new JsonParseException(p, "Unexpected token " + p.currentToken());
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = new ArrayNode(NODES);
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) array.add(read(p, t));
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "Unexpected token " + token);
        }
    }

    private static void write(JsonGenerator g, JsonNode node, boolean javaScriptNumbers) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue(), javaScriptNumbers);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) write(g, element, javaScriptNumbers);
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                if (javaScriptNumbers) {
                    String text = JavaScript.numberToString(node);
                    if (text.endsWith("Infinity") || text.equals("NaN")) g.writeNull();
                    else g.writeNumber(text);
                    return;
                }
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    default -> g.writeNumber(node.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL, MISSING -> g.writeNull(); // as Jackson writes a MissingNode
            case BINARY -> g.writeBinary(node.binaryValue());
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
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
