package dev.destinations.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Json} reads and writes with jackson-core's streaming API instead of an ObjectMapper (for cold start): it must
 * give exactly what ObjectMapper.readTree / writeValueAsString give, node class for node class, on real event
 * files, hostile texts and random documents, and fail where they fail.
 */
class JsonTest {
    private static final List<String> EDGE_TEXTS = List.of(
            "{}", "[]", "\"text\"", "0", "-0", "-0.0", "1.5", "1e3", "1E-7", "1e300", "1e400", "-1e400", "2147483647", "2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "0.1", "3.0",
            "123456789.123456789", "true", "false", "null", "  {\"a\" : 1 }  ", "{\"a\":1,\"a\":2,\"b\":3}", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
            "{\"\\u00e9t\\u00e9\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\n\\t\\u0000\"}", "{\"\":\"\"}", "[1,[2,[3,[4]]]]",
            "{\"x\":\"</script>\\u2028\"}");
    private static final List<String> BAD_TEXTS = List.of(
            "{", "[", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1}{", "{} x", "1 2", "nul", "{'a':1}", "{\"a\":1,}", "NaN", "\"open",
            "[".repeat(201) + "]".repeat(201), "{\"a\":" .repeat(250) + "1" + "}".repeat(250), "\u0000", "01", "--1", "{\"a\":1}}");

    @Test
    void readsAndWritesEdgeTextsExactlyAsObjectMapperDoes() throws IOException {
        for (String text : EDGE_TEXTS) assertSameAsObjectMapper(text);
        assertThat(Json.parse("")).isEqualTo(Json.mapper().readTree(""));
        assertThat(Json.parse("   ").isMissingNode()).isTrue();
    }

    @Test
    void failsWhereObjectMapperFails() {
        for (String text : BAD_TEXTS) {
            assertThatThrownBy(() -> Json.mapper().readTree(text)).as("ObjectMapper on " + text).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> Json.parse(text)).as("Json.parse on " + text).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void agreesOnEveryEventAndCaseFileOfTheRepository() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("../../events"), Path.of("../../../shared/conformance"), Path.of("../../../shared/bench"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
            }
        }
        assertThat(files).as("event files found").hasSizeGreaterThan(10);
        for (Path f : files) assertSameAsObjectMapper(Files.readString(f));
    }

    @Test
    void agreesOnRandomDocuments() throws IOException {
        Random random = new Random(11);
        for (int n = 0; n < 3000; n++) {
            StringBuilder text = new StringBuilder();
            randomValue(random, text, 0);
            assertSameAsObjectMapper(text.toString());
        }
    }

    private static void assertSameAsObjectMapper(String text) throws IOException {
        JsonNode ours = Json.parse(text);
        JsonNode theirs = Json.mapper().readTree(text);
        assertThat(ours).as(text).isEqualTo(theirs);
        assertSameClasses(ours, theirs, text);
        assertThat(Json.write(ours)).as(text).isEqualTo(Json.mapper().writeValueAsString(theirs));
    }

    private static void assertSameClasses(JsonNode a, JsonNode b, String text) {
        assertThat(a.getClass()).as(text).isEqualTo(b.getClass());
        if (a.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> x = a.properties().iterator(), y = b.properties().iterator();
            while (x.hasNext()) {
                Map.Entry<String, JsonNode> ex = x.next(), ey = y.next();
                assertThat(ex.getKey()).as("key order in " + text).isEqualTo(ey.getKey());
                assertSameClasses(ex.getValue(), ey.getValue(), text);
            }
        } else if (a.isArray()) {
            for (int i = 0; i < a.size(); i++) assertSameClasses(a.get(i), b.get(i), text);
        }
    }

    private static void randomValue(Random r, StringBuilder out, int depth) {
        int kind = depth > 5 ? 2 + r.nextInt(6) : r.nextInt(8);
        switch (kind) {
            case 0 -> {
                out.append('{');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) out.append(',');
                    out.append('"').append((char) ('a' + r.nextInt(4))).append("\":"); // repeated keys on purpose
                    randomValue(r, out, depth + 1);
                }
                out.append('}');
            }
            case 1 -> {
                out.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) out.append(", ");
                    randomValue(r, out, depth + 1);
                }
                out.append(']');
            }
            case 2 -> out.append(r.nextInt());
            case 3 -> out.append(r.nextBoolean() ? String.valueOf(r.nextLong() >> r.nextInt(64)) : new java.math.BigInteger(1 + r.nextInt(120), r).toString());
            case 4 -> out.append(r.nextInt(4) == 0 ? r.nextInt(1000) + "." + r.nextInt(1000) + "e" + (r.nextInt(700) - 350)
                    : String.valueOf(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)));
            case 5 -> out.append('"').append(Long.toString(r.nextLong(), 36)).append(r.nextBoolean() ? "\\u00fc\\n" : "").append('"');
            case 6 -> out.append(r.nextBoolean());
            default -> out.append("null");
        }
    }
}
