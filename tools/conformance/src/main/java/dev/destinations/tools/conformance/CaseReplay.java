package dev.destinations.tools.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.Reason;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import dev.destinations.tools.StubbedFunction;
import dev.destinations.tools.VendorSandboxes;
import dev.destinations.testkit.contract.ContractSandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays one conformance case through the real handler of its function ({@link StubbedFunction}): the case's event
 * is the body of an SQS message, its settings are DESTINATION_SETTINGS (the {@code apiKey} goes to the secret), the
 * vendor is a real HTTP stub answering with the case's mocks (a request they do not cover is answered by the vendor's
 * sandbox, which checks it against the vendor's contract and finds whom it looks up), and only the AWS clients are
 * in-memory fakes. A message that is
 * retried as "dependency not ready" (D11) is delivered again at the receive count where D11 gives up, as SQS would,
 * and that final attempt is compared.
 */
final class CaseReplay {
    static final int DEPENDENCY_RETRY_RECEIVES = 3;

    record Observed(Outcome result, Verdict outcome, List<RecordedCall> calls, String logs) {}

    private final VendorStub stub;

    CaseReplay(VendorStub stub) {
        this.stub = stub;
    }

    Observed run(JsonNode c, Functions.Spec function) {
        JsonNode config = c.path("config").isObject() ? c.path("config") : Json.object();
        List<JsonNode> mocks = new ArrayList<>();
        c.path("network").forEach(mocks::add);
        stub.reset();
        ContractSandbox sandbox = VendorSandboxes.forFunction(function, config).presumeExisting(true);
        stub.respond(r -> answer(mocks, r, sandbox));
        StubbedFunction f = StubbedFunction.create(function, config, stub, Map.of(
                "API_KEY_SECRET_ID", "conformance/" + function.caseName(),
                "MAX_RECEIVE_COUNT", "5",
                "DEPENDENCY_RETRY_RECEIVES", String.valueOf(DEPENDENCY_RETRY_RECEIVES),
                "HTTP_REQUEST_TIMEOUT_MS", "5000"));

        String body = body(c);
        List<StubbedFunction.Settled> settled = f.invoke(SqsEvents.of(SqsEvents.message("conformance-1", body, 1)));
        StubbedFunction.Settled last = settled.isEmpty() ? null : settled.get(settled.size() - 1);
        if (last != null && last.outcome().reason() == Reason.DEPENDENCY_NOT_READY) {
            stub.reset();
            stub.respond(r -> answer(mocks, r, sandbox));
            settled = f.invoke(SqsEvents.of(SqsEvents.message("conformance-1", body, DEPENDENCY_RETRY_RECEIVES)));
            last = settled.isEmpty() ? null : settled.get(settled.size() - 1);
        }
        List<RecordedCall> calls = stub.requests().stream().map(RecordedCall::of).toList();
        return new Observed(last == null ? null : last.result(), last == null ? null : last.outcome(), calls, f.logs());
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

    private static VendorStub.Reply answer(List<JsonNode> mocks, VendorStub.Recorded request, ContractSandbox sandbox) {
        RecordedCall call = RecordedCall.of(request);
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
        return sandbox.answer(request);
    }
}
