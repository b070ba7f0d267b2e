package dev.destinations.tools;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's real handler with in-memory AWS fakes (the DLQ and the secret) and its vendor behind a
 * {@link VendorStub}: the conformance replay and the dry run both run a function this way. The destination is
 * pointed at {@code http://127.0.0.1:PORT/<vendor host><base path>} (from its own reference base URL for the
 * settings), so a recorded request reads back as the vendor URL it would have gone to ({@link #vendorUrl}).
 */
public final class StubbedFunction {
    /** A DLQ URL that only the in-memory SQS fake ever sees. */
    public static final String FAKE_DLQ_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/stubbed-dlq";

    /**
     * How one message of an invocation settled.
     *
     * @param requestsBefore vendor requests the stub had recorded when the message started (with a delivery
     *                       concurrency of 1, the requests from here to {@code requestsAfter} are this message's)
     */
    public record Settled(String messageId, String eventType, Outcome result, Verdict outcome, int requestsBefore, int requestsAfter) {}

    private final DestinationHandler handler;
    private final InMemorySqs sqs = new InMemorySqs();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<Settled> settled = Collections.synchronizedList(new ArrayList<>());
    private final VendorStub stub;
    private int mark;

    private StubbedFunction(Functions.Spec function, ObjectNode settings, String apiKeySecret, VendorStub stub, Map<String, String> env) {
        this.stub = stub;
        Map<String, String> all = new HashMap<>();
        all.put("DESTINATION_SETTINGS", Json.write(settings));
        all.put("API_KEY_SECRET_ID", "stubbed/" + function.caseName());
        all.put("DLQ_URL", FAKE_DLQ_URL);
        all.put("VENDOR_BASE_URL", vendorBaseUrl(function, settings, stub.baseUrl()));
        all.putAll(env);
        PrintStream out = new PrintStream(logs, true, StandardCharsets.UTF_8);
        this.handler = function.handler().apply(new DestinationHandler.Wiring(all, sqs, FixedSecret.of(apiKeySecret), out,
                (ctx, m, type, result, outcome) -> {
                    int now = stub.requests().size();
                    synchronized (settled) {
                        settled.add(new Settled(m.getMessageId(), type, result, outcome, mark, now));
                        mark = now;
                    }
                }));
    }

    /**
     * The function on these settings (RudderStack's names; an {@code apiKey} among them goes to the secret, as the
     * README says to deploy it), its vendor on {@code stub}; {@code env} adds to or overrides the environment.
     */
    public static StubbedFunction create(Functions.Spec function, JsonNode config, VendorStub stub, Map<String, String> env) {
        ObjectNode settings = config != null && config.isObject() ? ((ObjectNode) config).deepCopy() : Json.object();
        JsonNode apiKey = settings.remove("apiKey");
        ObjectNode secret = Json.object();
        if (apiKey != null && apiKey.isTextual()) secret.set("apiKey", apiKey);
        return new StubbedFunction(function, settings, Json.write(secret), stub, env);
    }

    /** One invocation, as Lambda would make it with this batch; returns how each message settled, in settling order. */
    public List<Settled> invoke(SQSEvent event) {
        synchronized (settled) {
            settled.clear();
            mark = stub.requests().size();
        }
        handler.handleRequest(event, TestContext.of30Seconds());
        synchronized (settled) {
            return List.copyOf(settled);
        }
    }

    /** The SQS fake: what the function sent to its DLQ and the visibility changes it made. */
    public InMemorySqs sqs() {
        return sqs;
    }

    /** The function's log lines so far. */
    public String logs() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    /** The base-URL override that routes the destination's requests to the stub under the vendor's host and path. */
    public static String vendorBaseUrl(Functions.Spec function, JsonNode settings, String stubBaseUrl) {
        return stubBaseUrl + vendorPrefix(function, settings);
    }

    /** The path under the stub where {@link #vendorBaseUrl} puts the vendor: {@code /<vendor host><base path>}. */
    public static String vendorPrefix(Functions.Spec function, JsonNode settings) {
        String reference = function.referenceBaseUrl(settings).orElse("https://unresolved.invalid");
        return "/" + reference.replaceFirst("^https?://", "");
    }

    /** {@code https://<vendor host><path>} (no query) of a request the stub recorded through {@link #vendorBaseUrl}. */
    public static String vendorUrl(VendorStub.Recorded r) {
        String decoded = r.path();
        String withoutSlash = decoded.startsWith("/") ? decoded.substring(1) : decoded;
        int slash = withoutSlash.indexOf('/');
        String host = slash < 0 ? withoutSlash : withoutSlash.substring(0, slash);
        String path = slash < 0 ? "/" : withoutSlash.substring(slash);
        return "https://" + host + path;
    }
}
