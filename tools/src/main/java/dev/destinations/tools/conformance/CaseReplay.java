package dev.destinations.tools.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Outcome;
import dev.destinations.delivery.Reason;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Result;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replays one conformance case through the real handler of its function: the case's event is the body of an SQS
 * message, its settings are DESTINATION_SETTINGS (the {@code apiKey} goes to the secret), the vendor is a real
 * HTTP stub answering with the case's mocks, and only the AWS clients are in-memory fakes. A message that is
 * retried as "dependency not ready" (D11) is delivered again at the receive count where D11 gives up, as SQS would,
 * and that final attempt is compared.
 */
final class CaseReplay {
    static final int DEPENDENCY_RETRY_RECEIVES = 3;

    record Observed(Result result, Outcome outcome, List<RecordedCall> calls, String logs) {}

    private final VendorStub stub;

    CaseReplay(VendorStub stub) {
        this.stub = stub;
    }

    Observed run(JsonNode c, Functions.Spec function) {
        JsonNode config = c.path("config").isObject() ? c.path("config") : Json.object();
        ObjectNode settings = ((ObjectNode) config).deepCopy();
        JsonNode apiKey = settings.remove("apiKey");
        ObjectNode secret = Json.object();
        if (apiKey != null && apiKey.isTextual()) secret.set("apiKey", apiKey);

        String reference = function.referenceBaseUrl(config).orElse("https://unresolved.invalid");
        String override = stub.baseUrl() + "/" + reference.replaceFirst("^https?://", "");
        List<JsonNode> mocks = new ArrayList<>();
        c.path("network").forEach(mocks::add);
        stub.reset();
        stub.respond(r -> answer(mocks, RecordedCall.of(r)));

        Map<String, String> env = new HashMap<>();
        env.put("DESTINATION_SETTINGS", Json.write(settings));
        env.put("API_KEY_SECRET_ID", "conformance/" + function.caseName());
        env.put("DLQ_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/conformance-dlq");
        env.put("VENDOR_BASE_URL", override);
        env.put("MAX_RECEIVE_COUNT", "5");
        env.put("DEPENDENCY_RETRY_RECEIVES", String.valueOf(DEPENDENCY_RETRY_RECEIVES));
        env.put("HTTP_REQUEST_TIMEOUT_MS", "5000");

        AtomicReference<Result> result = new AtomicReference<>();
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, new InMemorySqs(),
                FixedSecret.of(Json.write(secret)), out, (ctx, m, type, r, o) -> {
                    result.set(r);
                    outcome.set(o);
                }));

        String body = body(c);
        handler.handleRequest(SqsEvents.of(SqsEvents.message("conformance-1", body, 1)), TestContext.of30Seconds());
        if (outcome.get() != null && outcome.get().reason() == Reason.DEPENDENCY_NOT_READY) {
            stub.reset();
            stub.respond(r -> answer(mocks, RecordedCall.of(r)));
            handler.handleRequest(SqsEvents.of(SqsEvents.message("conformance-1", body, DEPENDENCY_RETRY_RECEIVES)), TestContext.of30Seconds());
        }
        List<RecordedCall> calls = stub.requests().stream().map(RecordedCall::of).toList();
        return new Observed(result.get(), outcome.get(), calls, logs.toString(StandardCharsets.UTF_8));
    }

    /** The event, or for a deletion case the project's deletion message (README: "User deletion"). */
    static String body(JsonNode c) {
        JsonNode event = c.get("event");
        if (event != null && !event.isNull()) return event.isTextual() ? event.textValue() : Json.write(event);
        ObjectNode deletion = Json.object();
        deletion.put("type", "userDeletion");
        deletion.set("userAttributes", c.path("userAttributes"));
        return Json.write(deletion);
    }

    private static VendorStub.Reply answer(List<JsonNode> mocks, RecordedCall call) {
        for (JsonNode mock : mocks) {
            if (!RequestMatching.mockMatches(mock.path("request"), call)) continue;
            JsonNode response = mock.path("response");
            int status = response.path("status").asInt(200);
            JsonNode body = response.get("body");
            String text = body == null || body.isNull() ? "" : body.isTextual() ? body.textValue() : Json.write(body);
            VendorStub.Reply reply = status == 204 ? VendorStub.Reply.status(204)
                    : body != null && body.isTextual() ? new VendorStub.Reply(status, text, Map.of(), java.time.Duration.ZERO, false)
                    : VendorStub.Reply.json(status, text);
            for (var h : response.path("headers").properties()) reply = reply.withHeader(h.getKey(), h.getValue().asText());
            return reply;
        }
        return VendorStub.Reply.json(200, "{}");
    }
}
