package dev.destinations.tools;

import dev.destinations.tools.local.VendorSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Reason;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Path;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for any event built from the spec's fields with values of any JSON type, the mapping and the flows end
 * in a classified outcome — never an unexpected exception (which would be retried as internal_error). Seeded, so a
 * failure is reproducible; 600 random events per function.
 */
class RandomEventPropertyTest {
    static final String[] PATHS = {"userId", "anonymousId", "event", "groupId", "timestamp", "originalTimestamp", "messageId",
            "traits.email", "traits.name", "traits.firstName", "traits.lastName", "traits.phone", "traits.gender", "traits.status",
            "traits.company", "traits.company.id", "traits.company.remove", "traits.address", "traits.address.city", "traits.tags",
            "traits.createDate", "traits.numberOfEmployees", "traits.latitude", "traits.accountId", "traits.signUpDate", "traits.score",
            "traits.custom", "context.traits.email", "context.traits.name", "context.traits.phone", "context.traits.company.id",
            "context.externalId", "context.page.url", "context.page.path", "context.sessionId", "properties.email", "properties.url",
            "properties.path", "properties.globalContext", "properties.date", "properties.sessionId", "properties.organization_id",
            "properties.nested", "integrations.All", "integrations.user.lookup", "integrations.GAINSIGHT_PX.limitAPIForGroup"};
    static final String[] TYPES = {"identify", "track", "page", "group", "screen", "alias", "userDeletion", "Identify", "other"};
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    static JsonNode randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 7 : 9)) {
            case 0 -> Json.NODES.nullNode();
            case 1 -> Json.NODES.textNode("");
            case 2 -> Json.NODES.textNode(r.nextBoolean() ? "a+b@example.com" : "2026-01-0" + r.nextInt(10) + "T00:00:00Z");
            case 3 -> Json.NODES.numberNode(r.nextInt(3) == 0 ? r.nextDouble() * 1e20 : r.nextInt(100) - 50);
            case 4 -> Json.NODES.booleanNode(r.nextBoolean());
            case 5 -> Json.NODES.textNode(List.of("M", "female", "U", "visitor", "email", "phone", "x y z", " lead", "..").get(r.nextInt(9)));
            case 6 -> Json.NODES.textNode("v" + r.nextInt(1000));
            case 7 -> {
                ObjectNode o = Json.object();
                for (int i = r.nextInt(4); i > 0; i--) o.set(List.of("id", "type", "a", "city", "remove").get(r.nextInt(5)), randomValue(r, depth + 1));
                yield o;
            }
            default -> {
                ArrayNode a = Json.NODES.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) a.add(randomValue(r, depth + 1));
                yield a;
            }
        };
    }

    static String randomEvent(Random r) {
        ObjectNode e = Json.object();
        e.put("type", TYPES[r.nextInt(TYPES.length)]);
        for (int i = 4 + r.nextInt(14); i > 0; i--) {
            Path.of(PATHS[r.nextInt(PATHS.length)]).set(e, randomValue(r, 0)); // replaces a scalar on the way by an object
        }
        if (r.nextInt(4) == 0) e.set("userAttributes", randomValue(r, 0));
        return Json.write(e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void anyEventOfSpecFields_endsInAClassifiedOutcome(Functions.Spec function) throws Exception {
        VendorSandbox vendor = new VendorSandbox(0, 1);
        String vendorBaseUrl = vendor.add(function, Json.parse(function.sampleSettings()), stub.baseUrl());
        stub.respond(vendor);
        Random random = new Random(20261124L + function.slug().hashCode());
        Map<String, String> env = new HashMap<>(Map.of("DESTINATION_SETTINGS", function.sampleSettings(),
                "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", vendorBaseUrl));
        List<String> internalErrors = new ArrayList<>();
        Map<String, String> bodies = new HashMap<>();
        DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"k\"}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, m, type, result, outcome) -> {
                    if (outcome.reason() == Reason.INTERNAL_ERROR) internalErrors.add(outcome.detail() + " <- " + bodies.get(m.getMessageId()));
                }));
        for (int batch = 0; batch < 60; batch++) {
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = "b" + batch + "m" + i;
                String body = randomEvent(random);
                bodies.put(id, body);
                messages.add(SqsEvents.message(id, body, 1 + random.nextInt(5)));
            }
            handler.handleRequest(SqsEvents.of(messages.toArray(SQSEvent.SQSMessage[]::new)), TestContext.of30Seconds());
        }
        // random values may make requests the vendor rejects: answered as the vendor would (its 400), parked as
        // vendor_rejected; counted here, not failed (this test is about classified outcomes)
        System.out.println(function.logicalId() + " random events: " + vendor.takeViolations().size() + " request(s) the vendor's contract rejects");
        assertThat(internalErrors).as("events that crashed the mapping or a flow").isEmpty();
    }
}
