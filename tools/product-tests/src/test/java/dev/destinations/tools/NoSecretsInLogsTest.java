package dev.destinations.tools;

import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.tools.VendorSandboxes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.MessageBody;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The worst case for leaks: a vendor that echoes the whole request (and the key) back in its error bodies, for
 * every status class. No log line and no DLQ attribute may contain the API key, nor any email, phone or name of
 * the events that were sent.
 */
class NoSecretsInLogsTest {
    static final String KEY = "sk_live_9f8e7d6c5b4a3210";
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void vendorEchoingRequestsAndKeys_neverLeaksIntoLogsOrTheDlq(Functions.Spec function) throws Exception {
        String slug = function.destination().slug();
        Path dir = Path.of("..", "..", "events", slug);
        Map<String, String> env = new HashMap<>();
        Json.mapper().readTree(dir.resolve("env.json").toFile()).path(function.logicalId()).properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("API_KEY_SECRET_ID", "arn:s");
        env.put("DLQ_URL", "https://sqs.local/1/dlq");
        JsonNode settings = Json.parse(env.getOrDefault("DESTINATION_SETTINGS", "{}"));
        env.put("VENDOR_BASE_URL", StubbedFunction.vendorBaseUrl(function, settings, stub.baseUrl()));
        // the answers are the test's (echoes of the request and key); the requests are still checked against the contract
        ContractSandbox contract = VendorSandboxes.forFunction(function, settings);
        List<String> bodies = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("env.json")).sorted().toList()) {
                Json.mapper().readTree(f.toFile()).path("Records").forEach(r -> bodies.add(r.path("body").asText()));
            }
        }
        List<String> personal = personalValues(bodies);
        assertThat(personal).as("the sample events carry personal values to look for").isNotEmpty();

        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        List<SendMessageRequest> parked = new ArrayList<>();
        for (int status : new int[] {400, 401, 403, 404, 409, 422, 429, 500, 503}) {
            stub.reset();
            stub.respond(contract.checking(r -> VendorStub.Reply.json(status, "{\"error\":\"rejected\",\"auth\":\"" + r.header("Authorization") + r.header("X-APTRINSIC-API-KEY")
                    + "\",\"request\":" + (r.body().isEmpty() ? "null" : r.body()) + ",\"query\":\"" + r.rawQuery() + "\"}")));
            for (int receive : new int[] {1, 5}) { // first receive (retry) and last receive (parked with the detail)
                InMemorySqs sqs = new InMemorySqs();
                DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, sqs,
                        FixedSecret.of("{\"apiKey\":\"" + KEY + "\"}"), new PrintStream(logs, true, StandardCharsets.UTF_8), null));
                List<com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage> messages = new ArrayList<>();
                for (int i = 0; i < bodies.size(); i++) messages.add(SqsEvents.message("m" + i, bodies.get(i), receive));
                handler.handleRequest(SqsEvents.of(messages.toArray(com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage[]::new)), TestContext.of30Seconds());
                parked.addAll(sqs.sent);
            }
        }

        assertThat(parked).as("the vendor's refusals were parked with details").isNotEmpty();
        String text = logs.toString(StandardCharsets.UTF_8);
        StringBuilder attributes = new StringBuilder();
        parked.forEach(p -> p.messageAttributes().forEach((k, v) -> attributes.append(k).append('=').append(v.stringValue()).append('\n')));
        for (String where : List.of(text, attributes.toString())) {
            assertThat(where).doesNotContain(KEY);
            for (String value : personal) assertThat(where).as("personal value %s", value).doesNotContain(value);
        }
        assertThat(attributes.toString()).contains("detail=");
    }

    /** Emails, phones and names that the events carry, by the spec's generic keys. */
    static List<String> personalValues(List<String> bodies) {
        List<String> values = new ArrayList<>();
        for (String body : bodies) {
            // the events inside envelopes and batch bodies too (D18, D19); the malformed sample has none
            for (MessageBody.Part part : MessageBody.read(body).parts()) {
                if (part.read().event() == null) continue;
                JsonNode e = part.read().event().root();
                for (String key : List.of("email", "phone", "firstName", "lastName")) {
                    String v = Lookup.generic(key).findText(e);
                    if (v != null && v.length() >= 3 && !values.contains(v)) values.add(v);
                }
            }
        }
        return values;
    }
}
