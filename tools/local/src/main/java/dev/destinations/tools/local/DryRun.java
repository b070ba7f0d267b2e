package dev.destinations.tools.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import dev.destinations.tools.StubbedFunction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/local dry-run FUNCTION [EVENT_FILE|-] [--settings JSON]}: what an event would make a function send,
 * without sending it. The real handler runs on in-memory AWS fakes ({@link StubbedFunction}, as the conformance
 * replay does) with its vendor replaced by the local {@link VendorSandbox} (lookups find a record, writes succeed),
 * and every request the sandbox received is printed as the vendor would have received it: method, vendor URL,
 * headers with the API key masked, JSON body; then the message's outcome, or each event's for a batch body (D19).
 * Nothing reaches AWS or a vendor.
 */
public final class DryRun {
    static final String DEFAULT_API_KEY = "dry-run-key";
    static final String MASK = "****";
    /** Transport headers the HTTP client adds by itself: not the destination's doing. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("host", "content-length", "connection", "upgrade", "http2-settings", "user-agent");

    private DryRun() {}

    public record Request(String method, String url, String query, Map<String, String> headers, String body) {}

    public record Message(String messageId, String eventType, Outcome result, Verdict outcome, List<Request> requests) {}

    /** @param dlqSends messages the function would have parked in its DLQ (sent to the in-memory fake only) */
    public record Report(List<Message> messages, int vendorRequests, int dlqSends) {}

    public static void main(String[] args) throws Exception {
        String function = null;
        String eventArg = null;
        String settings = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--settings") && i + 1 < args.length) settings = args[++i];
            else if (function == null) function = args[i];
            else eventArg = args[i];
        }
        if (function == null) {
            System.err.println("usage: bin/local dry-run FUNCTION [EVENT_FILE|-] [--settings JSON]");
            System.exit(2);
        }
        Functions.Spec spec;
        try {
            spec = Functions.named(function);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String event = eventArg == null || eventArg.equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(eventArg));
        JsonNode settingsJson = settings == null ? null : Json.parse(settings);
        Report r = run(Path.of("."), spec, event, settingsJson, System.out);
        System.exit(r.messages().stream().allMatch(m -> m.result() == Outcome.DELIVERED || m.result() == Outcome.SKIPPED) ? 0 : 1);
    }

    /**
     * Runs the event through the function and prints the requests. {@code settings} null = the function's
     * DESTINATION_SETTINGS in {@code events/<slug>/env.json} under {@code root}; an {@code apiKey} there (or a dummy
     * one) goes to the in-memory secret and is masked in the output.
     */
    public static Report run(Path root, Functions.Spec function, String eventText, JsonNode settings, PrintStream out) throws IOException {
        String source = settings != null ? "--settings" : "events/" + function.destination().slug() + "/env.json";
        JsonNode config = settings != null ? settings : defaultSettings(root, function);
        com.fasterxml.jackson.databind.node.ObjectNode withKey = config.isObject() ? ((com.fasterxml.jackson.databind.node.ObjectNode) config).deepCopy() : Json.object();
        if (!withKey.path("apiKey").isTextual() || withKey.path("apiKey").asText().isEmpty()) withKey.put("apiKey", DEFAULT_API_KEY);
        String apiKey = withKey.path("apiKey").asText();
        SQSEvent event = event(eventText);

        List<Message> messages = new ArrayList<>();
        int vendorRequests;
        int dlqSends;
        try (VendorStub sandbox = VendorStub.start()) {
            VendorSandbox vendor = new VendorSandbox(0, 1);
            vendor.add(function, withKey, sandbox.baseUrl());
            sandbox.respond(vendor);
            StubbedFunction f = StubbedFunction.create(function, withKey, sandbox, Map.of("DELIVERY_CONCURRENCY", "1"));
            out.println("dry run of " + function.logicalId() + " (" + function.destination().slug() + "): " + event.getRecords().size()
                    + " message(s), settings from " + source + "; the vendor is the local sandbox, nothing is sent anywhere");
            List<StubbedFunction.Settled> settled = f.invoke(event);
            List<VendorStub.Recorded> recorded = sandbox.requests();
            for (StubbedFunction.Settled s : settled) {
                List<Request> requests = new ArrayList<>();
                for (VendorStub.Recorded r : recorded.subList(s.requestsBefore(), s.requestsAfter())) requests.add(request(r, apiKey));
                messages.add(new Message(s.messageId(), s.eventType(), s.result(), s.outcome(), requests));
            }
            vendorRequests = recorded.size();
            dlqSends = (int) f.sqs().sent.stream().filter(r -> r.queueUrl().equals(StubbedFunction.FAKE_DLQ_URL)).count();
        }
        for (Message m : messages) print(m, apiKey, out);
        long delivered = messages.stream().filter(m -> m.result() == Outcome.DELIVERED).count();
        out.println();
        // an event of a batch body (D19) has its own outcome, named <message id>#<n>
        out.println("dry run: " + messages.size() + " event(s) in " + event.getRecords().size() + " message(s), " + delivered + " would be delivered; " + vendorRequests
                + " vendor request(s) (shown above, answered by the sandbox); " + dlqSends + " would be parked in the DLQ");
        return new Report(messages, vendorRequests, dlqSends);
    }

    private static void print(Message m, String apiKey, PrintStream out) {
        out.println();
        out.println("message " + m.messageId() + " (" + m.eventType() + ")");
        int n = 0;
        for (Request r : m.requests()) {
            out.println("  " + (++n) + ". " + r.method() + " " + r.url() + (r.query().isEmpty() ? "" : "?" + r.query()));
            r.headers().forEach((k, v) -> out.println("     " + k + ": " + v));
            if (!r.body().isEmpty()) r.body().lines().forEach(l -> out.println("     " + l));
        }
        Verdict o = m.outcome();
        String how = switch (m.result()) {
            case DELIVERED -> "delivered (" + o.vendorCalls() + " vendor call(s))";
            case SKIPPED -> "skipped: " + o.reason().code() + ": " + o.detail();
            case PARKED -> "parked (would go to the DLQ with reason " + o.reason().code() + "): " + o.detail();
            case RETRIED -> "retried (would stay on the queue, reason " + o.reason().code() + "): " + o.detail();
        };
        out.println("  => " + mask(how, apiKey));
    }

    static Request request(VendorStub.Recorded r, String apiKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        r.headers().forEach((name, values) -> {
            if (TRANSPORT_HEADERS.contains(name)) return;
            String value = String.join(", ", values);
            if (name.contains("authorization") || name.contains("key") || name.contains("token")) {
                int space = value.indexOf(' ');
                value = space > 0 ? value.substring(0, space + 1) + MASK : MASK; // keep the scheme ("Bearer"), hide the credential
            }
            headers.put(name, mask(value, apiKey));
        });
        return new Request(r.method(), StubbedFunction.vendorUrl(r), r.rawQuery() == null ? "" : r.rawQuery(), headers, mask(pretty(r.body()), apiKey));
    }

    /** Hides the key wherever else it appears (a key of a few characters would mask ordinary text, so not those). */
    private static String mask(String text, String apiKey) {
        return apiKey == null || apiKey.length() < 4 ? text : text.replace(apiKey, MASK);
    }

    private static String pretty(String body) {
        if (body == null || body.isEmpty()) return "";
        try {
            return Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(Json.parse(body));
        } catch (IOException e) {
            return body;
        }
    }

    /** An SQS event file ({@code Records[].body}, as {@code sam local invoke -e} takes), or one bare event as one message. */
    static SQSEvent event(String text) {
        JsonNode parsed;
        try {
            parsed = Json.parse(text);
        } catch (IOException | RuntimeException notJson) {
            parsed = null;
        }
        if (parsed != null && parsed.path("Records").isArray()) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            int i = 0;
            for (JsonNode r : parsed.path("Records")) {
                i++;
                String id = r.path("messageId").asText("dry-run-" + i);
                records.add(SqsEvents.message(id, r.path("body").asText(), 1));
            }
            return SqsEvents.of(records.toArray(SQSEvent.SQSMessage[]::new));
        }
        return SqsEvents.of(SqsEvents.message("dry-run-1", text.strip(), 1));
    }

    static JsonNode defaultSettings(Path root, Functions.Spec function) throws IOException {
        Path file = root.resolve("events").resolve(function.destination().slug()).resolve("env.json");
        if (!Files.exists(file)) return Json.object();
        String s = SamTemplate.envVars(file, function.logicalId()).getOrDefault("DESTINATION_SETTINGS", "{}");
        return Json.parse(s.isBlank() ? "{}" : s);
    }
}
