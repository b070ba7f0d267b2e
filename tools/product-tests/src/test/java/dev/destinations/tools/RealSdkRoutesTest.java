package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.local.EventSourcePoller;
import dev.destinations.tools.local.FunctionEnvironment;
import dev.destinations.tools.local.QueuePair;
import dev.destinations.tools.local.VendorSandbox;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Events from the real Segment and RudderStack SDKs (captured by bin/capture-sdk-events) through every route a user
 * has to a function's queue (spec/ingestion.md section 1), on a real moto_server (or AWS_ENDPOINT_URL), delivered by
 * the real handlers the way Lambda's SQS event source does. The expectation (D18, D19): an event that arrives in an
 * SNS notification, an EventBridge event or an SDK batch body ends with the same outcome and the same vendor
 * requests as the same event published alone, and the DLQ holds what those decisions say. Until the functions unwrap
 * envelopes and split batches, the SNS-envelope, EventBridge and batch routes fail here (parked invalid_event), while
 * {@code theQueueHoldsWhatTheRouteDelivers} shows each route did deliver the shape the spec describes.
 */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class RealSdkRoutesTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    // shaped like Segment's partner event source (on AWS only the partner may publish with it; moto and LocalStack
    // accept it from PutEvents); RudderStack's EventBridge destination lets the user name the source
    static final Map<String, String> EVENTBRIDGE_SOURCE = Map.of(
            "segment", "aws.partner/segment.com/sdk-capture", "rudderstack", "rudderstack.sdk-capture");

    enum Route {
        DIRECT("SendMessage of the event"),
        SNS_RAW("SNS, raw message delivery"),
        SNS_ENVELOPE("SNS, Notification envelope"),
        EVENTBRIDGE("EventBridge PutEvents, no InputPath"),
        SDK_BATCH("the SDK's batch body");

        final String label;

        Route(String label) {
            this.label = label;
        }
    }

    /** One event as an SDK sent it (one element of its batch, the batch's sentAt kept). */
    record SdkEvent(String sdk, String file, String text, JsonNode json) {
        String messageId() {
            return json.path("messageId").asText();
        }
    }

    /** One request body as an SDK sent it: {"batch":[...],"sentAt":...}. */
    record SdkBatch(String sdk, String file, String text) {}

    /** One outcome the function reported (its listener), for one event. */
    record Verdict(String type, String result, String reason, String detail) {}

    record VendorCall(String method, String url, JsonNode body) {}

    /** One SQS message of a route, through one function: its body, the outcomes reported, the vendor calls made. */
    record Delivery(String body, List<Verdict> outcomes, List<VendorCall> calls) {}

    @TempDir
    static Path captured;
    static List<SdkEvent> events;
    static List<SdkBatch> batches;
    static MotoServer aws;
    static VendorStub vendor;
    /** route -> function logical id -> one Delivery per SQS message that arrived on that route's queue */
    static final Map<Route, Map<String, List<Delivery>>> deliveries = new EnumMap<>(Route.class);
    /** route -> function logical id -> the bodies in that route's DLQ */
    static final Map<Route, Map<String, List<String>>> dlqBodies = new EnumMap<>(Route.class);

    @BeforeAll
    static void captureAndDeliverThroughEveryRoute() throws Exception {
        capture();
        aws = MotoServer.start();
        vendor = VendorStub.start();
        // every lookup finds the same record: vendor answers then do not depend on the order events are handled in;
        // each request is still checked against its vendor's contract
        VendorSandbox contracts = new VendorSandbox(0, 1);
        for (Functions.Spec f : Functions.ALL) contracts.add(f, FunctionEnvironment.settings(ROOT.resolve("events"), f), vendor.baseUrl());
        vendor.respond(contracts.checking(request -> VendorStub.Reply.json(request.method().equals("POST") ? 201 : 200,
                "{\"id\":101,\"user_key\":\"sandbox-key-101\",\"custom_id\":\"sandbox-101\",\"results\":[{\"id\":101,\"user_key\":\"sandbox-key-101\"}]}")));
        SqsClient sqs = aws.sqs();
        SecretsManagerClient secrets = aws.secrets();
        try (SnsClient sns = client(SnsClient.builder()); EventBridgeClient eventBridge = client(EventBridgeClient.builder())) {
            for (Route route : Route.values()) {
                Map<String, FunctionEnvironment> functions = new LinkedHashMap<>();
                Map<String, QueuePair> queues = new LinkedHashMap<>();
                for (Functions.Spec f : Functions.ALL) {
                    // the template's queue, secret and environment; a stack per route, 5 receives, 30 s visibility
                    FunctionEnvironment fn = FunctionEnvironment.create(sqs, secrets, ROOT.resolve("events"), f, FunctionEnvironment.Overrides
                            .uniqueStack("sdk-" + route.name().toLowerCase().replace('_', '-')).maxReceiveCount(5).visibilityTimeout(30)
                            .secretValue("{\"apiKey\":\"sdk-routes-key\"}"));
                    functions.put(f.logicalId(), fn);
                    queues.put(f.logicalId(), fn.queues());
                }
                int messages = publish(route, queues, sqs, sns, eventBridge);
                Map<String, List<Delivery>> byFunction = new LinkedHashMap<>();
                Map<String, List<String>> dlqByFunction = new LinkedHashMap<>();
                for (Functions.Spec f : Functions.ALL) {
                    QueuePair q = queues.get(f.logicalId());
                    List<Delivery> delivered = deliver(functions.get(f.logicalId()), messages, sqs, secrets);
                    byFunction.put(f.logicalId(), delivered);
                    long parked = delivered.stream().flatMap(d -> d.outcomes().stream()).filter(o -> o.result().equals("parked")).count();
                    dlqByFunction.put(f.logicalId(), receiveAll(sqs, q.dlqUrl(), parked));
                }
                deliveries.put(route, byFunction);
                dlqBodies.put(route, dlqByFunction);
            }
        }
        printTable();
    }

    @AfterAll
    static void stop() {
        if (vendor != null) vendor.close();
        if (aws != null) aws.close();
    }

    /** Runs bin/capture-sdk-events as a user would, from the repository root, into a temporary folder. */
    static void capture() throws Exception {
        if (!onPath("node") || !onPath("npm")) {
            String why = "RealSdkRoutesTest needs node and npm on PATH to run the real SDKs (bin/capture-sdk-events)";
            if (System.getenv("CI") != null) fail(why + "; CI is set, so this is a failure, not a skip");
            Assumptions.abort(why);
        }
        File log = Files.createTempFile("capture-sdk-events", ".log").toFile();
        Process p = new ProcessBuilder(ROOT.resolve("bin/capture-sdk-events").toString(), captured.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log).start();
        boolean ended = p.waitFor(3, TimeUnit.MINUTES); // the first run installs the pinned SDKs with npm ci
        if (!ended) p.destroyForcibly();
        String output = Files.readString(log.toPath());
        assertThat(ended && p.exitValue() == 0).as("bin/capture-sdk-events failed:\n" + output).isTrue();
        events = new ArrayList<>();
        batches = new ArrayList<>();
        for (String sdk : List.of("segment", "rudderstack")) {
            try (Stream<Path> files = Files.list(captured.resolve(sdk))) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    String text = Files.readString(file);
                    if (name.startsWith("event-")) events.add(new SdkEvent(sdk, name, text, Json.mapper().readTree(text)));
                    else if (name.startsWith("batch-")) batches.add(new SdkBatch(sdk, name, text));
                }
            }
        }
    }

    static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** Wires the route to the three functions' queues and publishes every captured event (or batch); returns the messages per queue. */
    static int publish(Route route, Map<String, QueuePair> queues, SqsClient sqs, SnsClient sns, EventBridgeClient eventBridge) {
        switch (route) {
            case DIRECT -> {
                for (SdkEvent e : events) queues.values().forEach(q -> sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(e.text())));
                return events.size();
            }
            case SNS_RAW, SNS_ENVELOPE -> {
                String topicArn = sns.createTopic(b -> b.name("sdk-events-" + suffix())).topicArn();
                for (QueuePair q : queues.values()) {
                    sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(q.queueArn())
                            .attributes(Map.of("RawMessageDelivery", String.valueOf(route == Route.SNS_RAW))));
                }
                for (SdkEvent e : events) sns.publish(b -> b.topicArn(topicArn).message(e.text()));
                return events.size();
            }
            case EVENTBRIDGE -> {
                String rule = "sdk-events-" + suffix();
                String pattern = "{\"source\":[\"" + String.join("\",\"", EVENTBRIDGE_SOURCE.values()) + "\"]}";
                eventBridge.putRule(b -> b.name(rule).eventPattern(pattern));
                List<QueuePair> targets = List.copyOf(queues.values());
                eventBridge.putTargets(b -> b.rule(rule).targets(targets.stream()
                        .map(q -> Target.builder().id("q" + targets.indexOf(q)).arn(q.queueArn()).build()).toList()));
                for (SdkEvent e : events) {
                    // the detail type names the event type (RudderStack lets the user choose it)
                    var answer = eventBridge.putEvents(b -> b.entries(entry -> entry.source(EVENTBRIDGE_SOURCE.get(e.sdk()))
                            .detailType(e.json().path("type").asText()).detail(e.text())));
                    assertThat(answer.failedEntryCount()).as("PutEvents of " + e.file()).isZero();
                }
                return events.size();
            }
            case SDK_BATCH -> {
                for (SdkBatch batch : batches) queues.values().forEach(q -> sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(batch.text())));
                return batches.size();
            }
        }
        throw new IllegalArgumentException(route.name());
    }

    /** Delivers what lands on the queue through the function's real handler, as Lambda's SQS event source would. */
    static List<Delivery> deliver(FunctionEnvironment fn, int expected, SqsClient sqs, SecretsManagerClient secrets)
            throws IOException, InterruptedException {
        Functions.Spec function = fn.function();
        QueuePair queue = fn.queues();
        String slug = function.destination().slug();
        Map<String, String> env = new HashMap<>(fn.env());
        env.put("VENDOR_BASE_URL", StubbedFunction.vendorBaseUrl(function, FunctionEnvironment.settings(ROOT.resolve("events"), function), vendor.baseUrl()));
        env.put("RETRY_BASE_SECONDS", "0"); // a retried message comes back at once
        // each event as if alone: without the instance's memory of earlier events' ids (D24), whose lookups would
        // depend on the order a route delivers in (EventBridge's is not the publish order)
        env.put("LOOKUP_CACHE_MAX_ENTRIES", "0");
        List<Verdict> reported = new ArrayList<>();
        DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, sqs, secrets,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, message, type, result, outcome) -> {
                    synchronized (reported) {
                        reported.add(new Verdict(type, result.code(), outcome.reason() == null ? null : outcome.reason().code(), outcome.detail()));
                    }
                }));
        List<SQSEvent.SQSMessage> received = new ArrayList<>();
        RequestHandler<SQSEvent, SQSBatchResponse> recording = (event, context) -> {
            received.addAll(event.getRecords());
            return handler.handleRequest(event, context);
        };
        // batch size 1: what one invocation reports and calls belongs to its one message
        EventSourcePoller poller = new EventSourcePoller(sqs, queue.queueUrl(), queue.queueArn(), 1, Duration.ZERO, recording, 30_000);
        Map<String, Delivery> byMessageId = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // SNS and EventBridge may deliver after the publish returns (LocalStack does): wait for every message, then for an empty queue
        while (System.nanoTime() < deadline && (byMessageId.size() < expected || QueuePair.depth(sqs, queue.queueUrl()) > 0)) {
            int before = vendor.requests().size();
            reported.clear();
            received.clear();
            if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) continue;
            List<VendorStub.Recorded> all = vendor.requests();
            List<VendorCall> calls = all.subList(before, all.size()).stream().map(RealSdkRoutesTest::call).toList();
            SQSEvent.SQSMessage m = received.get(0);
            Delivery d = byMessageId.computeIfAbsent(m.getMessageId(), id -> new Delivery(m.getBody(), new ArrayList<>(), new ArrayList<>()));
            d.outcomes().addAll(reported); // a retried message adds its later attempts to its own Delivery
            d.calls().addAll(calls);
        }
        assertThat(byMessageId).as(function.logicalId() + ": messages handled").hasSize(expected);
        return List.copyOf(byMessageId.values());
    }

    /** The bodies on a queue: at least {@code expected} of them (the function parks before it answers), and any more there are. */
    static List<String> receiveAll(SqsClient sqs, String queueUrl, long expected) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            got.forEach(m -> bodies.add(m.body()));
            if (got.isEmpty() && bodies.size() >= expected) break;
        }
        return bodies;
    }

    static VendorCall call(VendorStub.Recorded r) {
        String url = r.rawPath() + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
        JsonNode body;
        if (r.body().isBlank()) body = NullNode.getInstance();
        else {
            try {
                body = Json.mapper().readTree(r.body());
            } catch (IOException notJson) {
                body = TextNode.valueOf(r.body());
            }
        }
        return new VendorCall(r.method(), url, body);
    }

    /** The captured events a message carries: those whose messageId is in its body (one, or a whole batch). */
    static List<SdkEvent> eventsIn(String body) {
        return events.stream().filter(e -> body.contains(e.messageId())).toList();
    }

    // ---- the tests

    @Test
    void theCapturedEvents_areWhatEachSdkSends() throws IOException {
        assertThat(events).hasSize(24);
        assertThat(events).extracting(e -> e.json().path("type").asText()).containsOnly("identify", "track", "page", "screen", "group", "alias");
        for (SdkEvent e : events) {
            JsonNode j = e.json();
            assertThat(j.path("messageId").asText()).as(e.file()).isNotEmpty();
            assertThat(j.path("sentAt").isTextual()).as(e.file() + " sentAt").isTrue();
            if (e.sdk().equals("segment")) {
                assertThat(j.path("context").path("library").path("name").asText()).isEqualTo("@segment/analytics-node");
                assertThat(j.path("timestamp").isTextual()).as(e.file() + " timestamp").isTrue();
                assertThat(j.path("integrations").isObject()).as(e.file() + " integrations").isTrue();
            } else {
                assertThat(j.path("context").path("library").path("name").asText()).isEqualTo("analytics-node");
                assertThat(j.has("timestamp")).as(e.file() + ": RudderStack sends originalTimestamp, not timestamp").isFalse();
                assertThat(j.path("originalTimestamp").isTextual()).as(e.file()).isTrue();
                if (j.path("type").asText().equals("identify")) assertThat(j.path("context").path("traits")).isEqualTo(j.path("traits"));
            }
        }
        for (SdkBatch b : batches) {
            JsonNode j = Json.mapper().readTree(b.text());
            assertThat(j.path("batch").isArray() && j.path("sentAt").isTextual()).as(b.sdk() + " " + b.file()).isTrue();
        }
        assertThat(batches.stream().mapToInt(b -> eventsIn(b.text()).size()).sum()).as("every event is in one batch").isEqualTo(events.size());
    }

    @Test
    void directly_everyEventEndsWithOneOutcome_andTheIdentifiedUserReachesEachVendor() {
        for (Functions.Spec f : Functions.ALL) {
            List<Delivery> direct = deliveries.get(Route.DIRECT).get(f.logicalId());
            assertThat(direct).as(f.logicalId()).hasSize(events.size()).allSatisfy(d -> {
                assertThat(eventsIn(d.body())).hasSize(1);
                assertThat(d.outcomes()).hasSize(1);
            });
            Delivery identify = direct.stream().filter(d -> d.body().contains("\"user-ada-42\"") && d.body().contains("\"identify\"")).findFirst().orElseThrow();
            assertThat(identify.outcomes()).extracting(Verdict::result).containsExactly("delivered");
            assertThat(identify.calls()).as(f.logicalId() + " identify").isNotEmpty();
        }
    }

    /** Each route really puts on the queue what spec/ingestion.md says it does (the shape the functions must unwrap). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void theQueueHoldsWhatTheRouteDelivers(Route route) throws IOException {
        for (Delivery d : deliveries.get(route).values().stream().flatMap(List::stream).toList()) {
            JsonNode body = Json.mapper().readTree(d.body());
            List<SdkEvent> carried = eventsIn(d.body());
            switch (route) {
                case DIRECT, SNS_RAW -> assertThat(d.body()).isEqualTo(single(carried).text());
                case SNS_ENVELOPE -> {
                    assertThat(body.path("Type").asText()).isEqualTo("Notification");
                    assertThat(body.path("Message").asText()).isEqualTo(single(carried).text());
                }
                case EVENTBRIDGE -> {
                    SdkEvent e = single(carried);
                    assertThat(body.path("detail")).isEqualTo(e.json());
                    assertThat(body.path("source").asText()).isEqualTo(EVENTBRIDGE_SOURCE.get(e.sdk()));
                    assertThat(body.path("detail-type").asText()).isEqualTo(e.json().path("type").asText());
                }
                case SDK_BATCH -> assertThat(batches).extracting(SdkBatch::text).contains(d.body());
            }
        }
    }

    private static SdkEvent single(List<SdkEvent> carried) {
        assertThat(carried).hasSize(1);
        return carried.get(0);
    }

    /** D18, D19: through any route, an event ends as it does alone: same outcome, reason, vendor requests. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Route.class, names = "DIRECT", mode = EnumSource.Mode.EXCLUDE)
    void throughTheRoute_everyEventEndsAsItDoesPublishedAlone(Route route) {
        List<String> differences = new ArrayList<>(); // every message that differs, one line each: the whole picture in one failure
        for (Functions.Spec f : Functions.ALL) {
            Map<String, Delivery> alone = deliveries.get(Route.DIRECT).get(f.logicalId()).stream()
                    .collect(Collectors.toMap(d -> single(eventsIn(d.body())).messageId(), d -> d));
            List<String> arrived = new ArrayList<>();
            for (Delivery d : deliveries.get(route).get(f.logicalId())) {
                List<SdkEvent> carried = eventsIn(d.body());
                carried.forEach(e -> arrived.add(e.messageId()));
                List<Verdict> expectedOutcomes = carried.stream().flatMap(e -> alone.get(e.messageId()).outcomes().stream()).toList();
                List<VendorCall> expectedCalls = carried.stream().flatMap(e -> alone.get(e.messageId()).calls().stream()).toList();
                String what = f.logicalId() + " " + carried.stream().map(e -> e.sdk() + "/" + e.file()).toList();
                // a batch's events are handled per user in order, users concurrently: compare as multisets
                if (!sameElements(d.outcomes(), expectedOutcomes)) differences.add(what + ": " + brief(d.outcomes()) + ", alone: " + brief(expectedOutcomes));
                else if (route == Route.SDK_BATCH ? !sameBatchCalls(d.calls(), expectedCalls) : !sameElements(d.calls(), expectedCalls)) {
                    String got = urls(d.calls()), want = urls(expectedCalls);
                    differences.add(what + ": vendor requests " + got + ", alone: " + want + (got.equals(want) ? " (the same URLs, other bodies)" : ""));
                }
            }
            if (!sameElements(arrived, List.copyOf(alone.keySet()))) differences.add(f.logicalId() + ": events arrived " + arrived.size() + " times, expected each once");
        }
        assertThat(differences).as(route.label + ": messages that did not end as their events do published alone").isEmpty();
    }

    static <T> boolean sameElements(List<T> a, List<T> b) {
        Map<T, Integer> counts = new HashMap<>();
        a.forEach(x -> counts.merge(x, 1, Integer::sum));
        b.forEach(x -> counts.merge(x, -1, Integer::sum));
        return counts.values().stream().allMatch(n -> n == 0);
    }

    /**
     * The events of one batch share what they learn (Delivery's batch memo: a user or company is looked up once per
     * batch, and a write that succeeded tells the next event it exists, D24), so through a batch body the writes are
     * the same and the lookups are some of those the events make alone, none twice and none new.
     */
    static boolean sameBatchCalls(List<VendorCall> batch, List<VendorCall> alone) {
        Predicate<VendorCall> lookup = c -> c.method().equals("GET");
        List<VendorCall> batchLookups = batch.stream().filter(lookup).toList();
        return sameElements(batch.stream().filter(lookup.negate()).toList(), alone.stream().filter(lookup.negate()).toList())
                && Set.copyOf(batchLookups).size() == batchLookups.size()
                && Set.copyOf(alone.stream().filter(lookup).toList()).containsAll(batchLookups);
    }

    /** Method and URL only: the bodies carry the events' traits, which a test report need not repeat. */
    static String urls(List<VendorCall> calls) {
        return calls.stream().map(c -> c.method() + " " + c.url()).sorted().toList().toString();
    }

    static String brief(List<Verdict> outcomes) {
        return outcomes.stream().map(o -> o.result() + (o.reason() == null ? "" : " " + o.reason() + " (" + o.detail() + ")")).toList().toString();
    }

    /** D18: the DLQ keeps a message's body as it arrived, so a redrive works unchanged; D19: a batch's parked event is parked alone. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void parkedMessages_areInTheDlqAsTheyArrived_andABatchsEventsEachAlone(Route route) {
        for (Functions.Spec f : Functions.ALL) {
            List<String> dlq = dlqBodies.get(route).get(f.logicalId());
            if (route == Route.SDK_BATCH) {
                List<String> parkedAlone = deliveries.get(Route.DIRECT).get(f.logicalId()).stream().filter(RealSdkRoutesTest::parked)
                        .map(d -> single(eventsIn(d.body())).messageId()).toList();
                assertThat(dlq).as(f.logicalId() + ": events in each DLQ message").extracting(body -> eventsIn(body).size()).allMatch(n -> n == 1);
                assertThat(dlq).as(f.logicalId() + ": the events in the DLQ").extracting(body -> single(eventsIn(body)).messageId())
                        .containsExactlyInAnyOrderElementsOf(parkedAlone);
            } else {
                List<String> parkedBodies = deliveries.get(route).get(f.logicalId()).stream().filter(RealSdkRoutesTest::parked).map(Delivery::body).toList();
                assertThat(dlq).as(f.logicalId() + ": the DLQ holds each parked message's body unchanged").containsExactlyInAnyOrderElementsOf(parkedBodies);
            }
        }
    }

    static boolean parked(Delivery d) {
        return d.outcomes().stream().anyMatch(o -> o.result().equals("parked"));
    }

    /** route x function -> outcome counts, for the test's output. */
    static void printTable() {
        System.out.println("RealSdkRoutesTest: " + events.size() + " SDK events (" + batches.size() + " batch bodies), outcomes per route and function");
        StringBuilder header = new StringBuilder(String.format("  %-38s", "route"));
        Functions.ALL.forEach(f -> header.append(String.format(" | %-44s", f.logicalId())));
        System.out.println(header);
        for (Route route : Route.values()) {
            StringBuilder row = new StringBuilder(String.format("  %-38s", route.label));
            for (Functions.Spec f : Functions.ALL) {
                Map<String, Integer> counts = new TreeMap<>();
                deliveries.get(route).get(f.logicalId()).forEach(d -> d.outcomes().forEach(
                        o -> counts.merge(o.result() + (o.reason() == null ? "" : " " + o.reason()), 1, Integer::sum)));
                row.append(String.format(" | %-44s", counts.entrySet().stream().map(c -> c.getValue() + " " + c.getKey()).collect(Collectors.joining(", "))));
            }
            System.out.println(row);
        }
        System.out.println("  published alone, why an event was not delivered:");
        for (Functions.Spec f : Functions.ALL) {
            Map<String, Integer> why = new TreeMap<>();
            deliveries.get(Route.DIRECT).get(f.logicalId()).forEach(d -> d.outcomes().stream().filter(o -> o.reason() != null)
                    .forEach(o -> why.merge(o.type() + " " + o.result() + " " + o.reason() + ": " + o.detail(), 1, Integer::sum)));
            why.forEach((line, n) -> System.out.println("    " + f.logicalId() + " " + n + "x " + line));
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
