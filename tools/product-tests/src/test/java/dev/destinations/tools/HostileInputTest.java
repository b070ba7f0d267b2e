package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.EventType;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile message bodies through every function's real handler, each in a batch beside a good
 * message: the hostile one is parked or skipped with a reason (or delivered, when it is in fact a valid event, to
 * the vendor's own host and path), the good one is delivered, and nothing escapes the handler or is retried as a
 * program error.
 */
class HostileInputTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static String event(String type, String fields) {
        return "{\"type\":\"" + type + "\",\"messageId\":\"m\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    /** label -> body. More than 60 shapes, each a way a producer or an attacker can get it wrong. */
    static Map<String, String> corpus() {
        Map<String, String> c = new LinkedHashMap<>();
        // not JSON
        String[] notJson = {"", " ", "nul", "{", "}", "{]", "<xml/>", "undefined", "NaN", "{'type':'identify'}",
                "{\"type\":\"identify\"} trailing", "\uFEFF{\"type\":\"identify\",\"userId\":\"u\"}", "// comment", "{\"type\":\"identify\",}",
                "\u0000", "\"unterminated"};
        for (int i = 0; i < notJson.length; i++) c.put("notJson" + i, notJson[i]);
        // arrays and scalars
        String[] scalars = {"null", "[]", "[{\"type\":\"identify\",\"userId\":\"u\"}]", "42", "\"identify\"", "true", "1e999", "-0"};
        for (int i = 0; i < scalars.length; i++) c.put("scalar" + i, scalars[i]);
        // the type field
        c.put("typeMissing", "{\"userId\":\"u\"}");
        c.put("typeNull", "{\"type\":null,\"userId\":\"u\"}");
        c.put("typeNumber", "{\"type\":42,\"userId\":\"u\"}");
        c.put("typeArray", "{\"type\":[\"identify\"],\"userId\":\"u\"}");
        c.put("typeObject", "{\"type\":{},\"userId\":\"u\"}");
        c.put("typeEmpty", "{\"type\":\"\",\"userId\":\"u\"}");
        c.put("typeUpper", event("IDENTIFY", "\"userId\":\"u\""));
        c.put("typeUnknown", event("shout", "\"userId\":\"u\""));
        c.put("typeSpace", event("identify ", "\"userId\":\"u\""));
        c.put("typeScreen", event("screen", "\"userId\":\"u\""));
        c.put("typeAlias", event("alias", "\"userId\":\"u\",\"previousId\":\"p\""));
        // wrong field types
        for (String type : List.of("identify", "track", "group", "page")) {
            c.put(type + "UserIdObject", event(type, "\"userId\":{\"a\":1},\"event\":\"E\",\"groupId\":\"g\",\"traits\":{\"name\":\"N\"},\"timestamp\":\"2026-01-01T00:00:00Z\""));
            c.put(type + "UserIdArray", event(type, "\"userId\":[1,2],\"event\":\"E\",\"groupId\":\"g\",\"timestamp\":\"2026-01-01T00:00:00Z\""));
            c.put(type + "TraitsString", event(type, "\"userId\":\"u\",\"traits\":\"x\",\"context\":{\"traits\":[1]},\"event\":\"E\",\"groupId\":\"g\""));
            c.put(type + "ContextString", event(type, "\"userId\":\"u\",\"context\":\"x\",\"properties\":[1,2],\"event\":{\"x\":1},\"groupId\":{}"));
            c.put(type + "TimestampObject", event(type, "\"userId\":\"u\",\"event\":\"E\",\"groupId\":\"g\",\"traits\":{\"name\":\"N\"},\"timestamp\":{\"t\":1}"));
            c.put(type + "IntegrationsString", event(type, "\"userId\":\"u\",\"event\":\"E\",\"integrations\":\"none\""));
        }
        c.put("userIdBool", event("identify", "\"userId\":true"));
        c.put("userIdHugeNumber", event("identify", "\"userId\":123456789012345678901234567890"));
        c.put("externalIdNotArray", event("identify", "\"userId\":\"u\",\"context\":{\"externalId\":{\"type\":\"userKey\",\"id\":\"k\"}}"));
        c.put("integrationsLookupObject", event("identify", "\"userId\":\"u\",\"integrations\":{\"user\":{\"lookup\":{\"x\":1}},\"GAINSIGHT_PX\":{\"limitAPIForGroup\":\"yes\"}}"));
        // nesting and size
        c.put("deepNesting1000", event("identify", "\"userId\":\"u\",\"traits\":{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"));
        c.put("deepNesting5000", event("identify", "\"userId\":\"u\",\"traits\":{\"x\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}"));
        c.put("nearSqsLimit", event("identify", "\"userId\":\"u\",\"traits\":{\"blob\":\"" + "x".repeat(250_000) + "\"}"));
        StringBuilder manyKeys = new StringBuilder();
        for (int i = 0; i < 5000; i++) manyKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        c.put("fiveThousandTraits", event("identify", "\"userId\":\"u\",\"traits\":{" + manyKeys + "}"));
        // numbers
        c.put("hugeNumbers", event("track", "\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":1e308,\"b\":-1e308,\"c\":12345678901234567890123,\"d\":1e-400},\"timestamp\":\"2026-01-01T00:00:00Z\""));
        c.put("numberOverflow", event("track", "\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":1e400},\"timestamp\":\"2026-01-01T00:00:00Z\""));
        // timestamps
        String[] timestamps = {"\"\"", "\"0000-00-00\"", "\"2026-13-01T00:00:00Z\"", "\"2026-01-01T25:00:00Z\"", "\"1700000000\"", "1700000000",
                "-1", "\"Tue, 24 Nov 2026 10:00:00 GMT\"", "\"2026-01-01T00:00:00.123456789+14:00\"", "\"+275760-09-13T00:00:00Z\"",
                "\"now\"", "1e300", "true", "[2026]"};
        for (int i = 0; i < timestamps.length; i++) {
            c.put("timestamp" + i, event("track", "\"userId\":\"u\",\"event\":\"E\",\"timestamp\":" + timestamps[i] + ",\"originalTimestamp\":" + timestamps[i]
                    + ",\"traits\":{\"signUpDate\":" + timestamps[i] + "}"));
        }
        // control characters and injection strings in ids
        String[] ids = {"../../admin", "a/b?c=d#e", "user\\r\\nX-Injected: 1", "<script>alert(1)</script>", "'; DROP TABLE users; --",
                "${jndi:ldap://127.0.0.1/x}", "%00", "\\u0000", " ", "%2e%2e%2f", "..", "http://evil.example/", "\\ud800", "u@evil.example:8080"};
        for (int i = 0; i < ids.length; i++) {
            c.put("hostileId" + i, "{\"type\":\"group\",\"userId\":\"" + ids[i] + "\",\"groupId\":\"" + ids[i] + "\",\"traits\":{\"name\":\"N\",\"email\":\"" + ids[i]
                    + "\"},\"context\":{\"traits\":{\"email\":\"" + ids[i] + "\"},\"externalId\":[{\"type\":\"userKey\",\"id\":\"" + ids[i] + "\"}]},"
                    + "\"integrations\":{\"user\":{\"lookup\":\"email\"}}}");
        }
        // envelopes and batches (D18, D19)
        String track = event("track", "\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-01-01T00:00:00Z\"");
        c.put("snsMessageNotJson", SqsEvents.snsNotification("not json {"));
        c.put("snsMessageNumber", SqsEvents.snsNotification("42"));
        c.put("snsWithoutMessage", "{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\"}");
        c.put("eventBridgeDetailNull", SqsEvents.eventBridgeEvent("null"));
        c.put("eventBridgeDetailString", SqsEvents.eventBridgeEvent("\"" + "x".repeat(100) + "\""));
        c.put("batchNotArray", "{\"batch\":\"nope\"}");
        c.put("batchEmpty", "{\"batch\":[]}");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_000; i++) many.append(i == 0 ? "" : ",").append(i % 1000 == 7 ? "17" : "{\"type\":\"screen\",\"userId\":\"u" + i % 50 + "\"}");
        c.put("batchOf10000", "{\"batch\":[" + many + "],\"sentAt\":\"2026-01-01T00:00:00Z\"}");
        c.put("batchMixingGoodAndBad", SqsEvents.snsNotification("[" + track + ",null,{\"type\":\"shout\"},\"x\",[],{}," + track.replace("\"u\"", "\"u2\"") + "]"));
        String nested = track;
        for (int i = 0; i < 50; i++) nested = SqsEvents.eventBridgeEvent(nested);
        c.put("eventBridgeNested50", nested);
        String nestedSns = track;
        for (int i = 0; i < 12; i++) nestedSns = SqsEvents.snsNotification(nestedSns); // each level escapes the last: 12 deep is ~150 KB
        c.put("snsNested12", nestedSns);
        return c;
    }

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyHostileBody_isParkedSkippedOrSafelyDelivered_andTheGoodNeighbourIsDelivered(Functions.Spec function) {
        Map<String, String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        String good = function.handles(EventType.TRACK)
                ? event("track", "\"userId\":\"good-user\",\"event\":\"E\",\"timestamp\":\"2026-01-01T00:00:00Z\"")
                : event("identify", "\"userId\":\"good-user\"");
        stub.reset();
        stub.respond(r -> VendorStub.Reply.json(r.method().equals("POST") ? 201 : 200,
                "{\"id\":7,\"user_key\":\"k7\",\"custom_id\":\"good-user\",\"results\":[{\"id\":7,\"user_key\":\"k7\"}]}"));
        String base = "/" + function.slug() + "-base";
        Map<String, String> env = new HashMap<>(Map.of("DESTINATION_SETTINGS", function.sampleSettings(), "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + base));
        List<String> problems = new ArrayList<>();
        Map<String, Integer> tally = new java.util.TreeMap<>();
        for (var entry : corpus.entrySet()) {
            Map<String, Outcome> results = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, Verdict> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
            InMemorySqs sqs = new InMemorySqs();
            DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"hostile-test-key\"}"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, m, type, r, o) -> {
                        results.put(m.getMessageId(), r);
                        outcomes.put(m.getMessageId(), o);
                    }));
            SQSBatchResponse response;
            try {
                response = handler.handleRequest(SqsEvents.ofBodies(entry.getValue(), good), TestContext.of30Seconds());
            } catch (Throwable t) {
                problems.add(entry.getKey() + ": the handler threw " + t);
                continue;
            }
            // the hostile body is m1, or m1#1, m1#2, ... for the events of a batch body: each must have settled
            List<String> hostileIds = results.keySet().stream().filter(id -> id.equals("m1") || id.startsWith("m1#")).sorted().toList();
            if (hostileIds.isEmpty()) problems.add(entry.getKey() + ": no outcome");
            for (String id : hostileIds) {
                Outcome hostile = results.get(id);
                Verdict o = outcomes.get(id);
                tally.merge(hostile.code() + (o.reason() == null ? "" : "/" + o.reason().code()), 1, Integer::sum);
                if (hostile == Outcome.RETRIED) problems.add(entry.getKey() + " " + id + ": retried (" + o.reason() + ": " + o.detail() + ")");
                else if (hostile == Outcome.PARKED && (o.detail() == null || o.detail().isBlank())) problems.add(entry.getKey() + ": parked without a reason text");
            }
            if (results.get("m2") != Outcome.DELIVERED) problems.add(entry.getKey() + ": the good neighbour was " + results.get("m2") + " " + outcomes.get("m2"));
            if (!response.getBatchItemFailures().isEmpty()) problems.add(entry.getKey() + ": unexpected batch failures");
            if (entry.getKey().equals("batchMixingGoodAndBad") && !hostileIds.stream().map(results::get).toList().contains(Outcome.DELIVERED)) {
                problems.add(entry.getKey() + ": its good events were not delivered: " + hostileIds.stream().map(outcomes::get).toList());
            }
            if (entry.getKey().equals("batchOf10000") && hostileIds.size() != 10_000) problems.add(entry.getKey() + ": " + hostileIds.size() + " outcomes, not 10000");
        }
        System.out.println(function.logicalId() + " hostile corpus (" + corpus.size() + " bodies): " + tally);
        assertThat(problems).as("hostile bodies mishandled by " + function.logicalId()).isEmpty();
        assertThat(tally.getOrDefault("parked/invalid_event", 0)).as("bodies that are not events are parked as such").isGreaterThanOrEqualTo(30);
        assertThat(stub.requests()).as("every vendor request stays under the vendor's base path")
                .allSatisfy(r -> assertThat(r.rawPath()).startsWith(base + "/"));
    }
}
