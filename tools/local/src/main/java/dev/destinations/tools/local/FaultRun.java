package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code bin/fault-run [--messages N] [--seed S]}: N messages to each function through real SQS semantics
 * (moto_server queues, DLQs and redrive policies, the event-source poller) while the vendor fails at a seeded rate
 * with 500, 503, 429 with and without Retry-After, timeouts (the write is applied, the answer comes too late),
 * connection resets, and one full outage period. At the end every message must be delivered or in a DLQ with its
 * reason: the summary counts lost messages (must be 0) and duplicate vendor writes (at-least-once), and says where
 * the duplicates come from.
 */
public final class FaultRun {
    private FaultRun() {}

    /**
     * The summary of one run, or of one function's share of it.
     *
     * @param eventDuplicates   events of the types the destination deduplicates ({@code Destination.deduplicates}, the
     *                          non-idempotent writes, README "Duplicate events") delivered more than once: the store's to
     *                          prevent (a write applied again after a timeout is a retry, not a second delivery)
     * @param skippedDuplicates messages skipped as {@code duplicate}
     * @param byFunction        each function's own report, by slug (empty in a function's report)
     */
    public record Report(String scenario, int published, int delivered, Map<String, Integer> parkedByReason, int dlqWithoutReason, int lost,
                         int retriedAttempts, int duplicateWrites, int timeoutDuplicates, int eventDuplicates, int skippedDuplicates,
                         Map<String, Integer> injected, int vendorCalls, long seconds, Map<String, Report> byFunction) {
        public int parked() {
            return parkedByReason.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The sums of the functions' reports. */
        static Report total(String scenario, Map<String, Report> byFunction, long seconds) {
            Map<String, Integer> parked = new TreeMap<>();
            Map<String, Integer> injected = new TreeMap<>();
            byFunction.values().forEach(r -> {
                r.parkedByReason().forEach((k, v) -> parked.merge(k, v, Integer::sum));
                r.injected().forEach((k, v) -> injected.merge(k, v, Integer::sum));
            });
            java.util.function.ToIntFunction<java.util.function.ToIntFunction<Report>> sum = f -> byFunction.values().stream().mapToInt(f).sum();
            return new Report(scenario, sum.applyAsInt(Report::published), sum.applyAsInt(Report::delivered), parked,
                    sum.applyAsInt(Report::dlqWithoutReason), sum.applyAsInt(Report::lost), sum.applyAsInt(Report::retriedAttempts),
                    sum.applyAsInt(Report::duplicateWrites), sum.applyAsInt(Report::timeoutDuplicates), sum.applyAsInt(Report::eventDuplicates),
                    sum.applyAsInt(Report::skippedDuplicates), injected, sum.applyAsInt(Report::vendorCalls), seconds, byFunction);
        }

        /** bin/fault-run's last line for this run. */
        public ScaleScenarios.Line line() {
            int rateLimited = injected.getOrDefault("429", 0) + injected.getOrDefault("429 + Retry-After", 0);
            return new ScaleScenarios.Line(scenario, published, delivered, parked(), lost, duplicateWrites, vendorCalls, rateLimited, seconds * 1000,
                    Map.of("writes applied twice after a timeout (the function cannot know)", String.valueOf(timeoutDuplicates),
                            "deduplicated events (track/page) delivered twice (the store's to prevent)", String.valueOf(eventDuplicates),
                            "skipped as duplicate", String.valueOf(skippedDuplicates)));
        }
    }

    public static void main(String[] args) throws Exception {
        String scenario = "mixed";
        Integer messages = null;
        long seed = 1;
        int limit = 50;
        boolean limitSet = false;
        int instances = 5;
        int outageSeconds = 6 * 3600 / ScaleScenarios.OUTAGE_SCALE;
        boolean deduplicate = true;
        boolean budget = true;
        int quota = 1000;
        int daySeconds = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> scenario = args[++i];
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rate-limit" -> {
                    limit = Integer.parseInt(args[++i]);
                    limitSet = true;
                }
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--outage-seconds" -> outageSeconds = Integer.parseInt(args[++i]);
                case "--no-dedup" -> deduplicate = false;
                case "--no-budget" -> budget = false;
                case "--daily-quota" -> quota = Integer.parseInt(args[++i]);
                case "--day-seconds" -> daySeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see bin/fault-run --help)");
            }
        }
        ScaleScenarios.Line line = switch (scenario) {
            case "mixed" -> {
                Report r = run(Path.of("events"), messages == null ? 300 : messages, seed, Duration.ofSeconds(4), Options.mixed(deduplicate), System.out);
                print(r, System.out);
                yield r.line();
            }
            case "resend" -> {
                Report r = run(Path.of("events"), messages == null ? 100 : messages, seed, Duration.ZERO, Options.resend(deduplicate), System.out);
                print(r, System.out);
                yield r.line();
            }
            case "outage" -> ScaleScenarios.outage(Path.of("events"), messages == null ? 300 : messages, Duration.ofSeconds(outageSeconds), System.out);
            case "backfill" -> ScaleScenarios.backfill(Path.of("events"), messages == null ? 10_000 : messages, limit, instances, budget, System.out);
            case "backfill-lane" -> ScaleScenarios.backfillLane(Path.of("events"), messages == null ? 20_000 : messages, limitSet ? limit : 200, instances,
                    2, 0.1, 30, System.out);
            case "quota" -> ScaleScenarios.quota(Path.of("events"), messages == null ? 1500 : messages, quota, Duration.ofSeconds(daySeconds), instances, System.out);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + ": outage, backfill, backfill-lane, quota, resend or mixed");
        };
        line.figures().forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println(line.text());
        System.exit(line.lost() == 0 ? 0 : 1);
    }

    /** The summary table: a column per function (each its own run: its figures do not depend on the others), then the total. */
    public static void print(Report r, PrintStream out) {
        List<Report> columns = new ArrayList<>(r.byFunction().values());
        columns.add(r);
        out.println();
        out.println("| measure | " + String.join(" | ", r.byFunction().keySet()) + " | total |");
        out.println("|---" + "|---".repeat(columns.size()) + "|");
        row(out, "messages published", columns, c -> String.valueOf(c.published()));
        row(out, "delivered", columns, c -> String.valueOf(c.delivered()));
        row(out, "parked by the function, by reason", columns, c -> c.parked() + " " + c.parkedByReason());
        row(out, "moved to a DLQ by SQS redrive (no reason)", columns, c -> String.valueOf(c.dlqWithoutReason()));
        row(out, "**lost**", columns, c -> "**" + c.lost() + "**");
        row(out, "retry attempts (batch item failures)", columns, c -> String.valueOf(c.retriedAttempts()));
        row(out, "vendor writes applied more than once (after a timeout)", columns, c -> c.duplicateWrites() + " (" + c.timeoutDuplicates() + ")");
        row(out, "deduplicated events (track/page) delivered more than once", columns, c -> String.valueOf(c.eventDuplicates()));
        row(out, "skipped as duplicate", columns, c -> String.valueOf(c.skippedDuplicates()));
        row(out, "injected faults", columns, c -> String.valueOf(c.injected()));
        out.println("| wall time |" + " |".repeat(columns.size() - 1) + " " + r.seconds() + " s |");
    }

    private static void row(PrintStream out, String measure, List<Report> columns, java.util.function.Function<Report, String> value) {
        out.println("| " + measure + " | " + String.join(" | ", columns.stream().map(value).toList()) + " |");
    }

    /** The vendor: the sandbox's answers, with seeded faults and an outage window. */
    static final class FaultyVendor {
        final VendorSandbox sandbox = new VendorSandbox(0, 3);
        private final Random random;
        private final boolean faults;
        private final Duration outage;
        private volatile long outageFrom = Long.MAX_VALUE;
        private volatile long outageTo = Long.MAX_VALUE;
        final Map<String, Integer> injected = new ConcurrentHashMap<>();
        final Map<String, Integer> applied = new ConcurrentHashMap<>();
        final Map<String, Boolean> appliedAfterTimeout = new ConcurrentHashMap<>();

        /** @param outage how long the vendor is down, from 3 s after {@link #start} */
        FaultyVendor(long seed, boolean faults, Duration outage) {
            this.random = new Random(seed);
            this.faults = faults;
            this.outage = outage;
        }

        /** The delivery starts now: the outage comes 3 s later. */
        void start() {
            outageFrom = System.currentTimeMillis() + 3000;
            outageTo = outageFrom + outage.toMillis();
        }

        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        VendorStub.Reply answer(VendorStub.Recorded r) {
            calls.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now >= outageFrom && now < outageTo) return fault("outage 503", VendorStub.Reply.json(503, "{\"error\":\"outage\"}"));
            double roll;
            synchronized (random) {
                roll = faults ? random.nextDouble() : 1;
            }
            if (roll < 0.04) return fault("500", VendorStub.Reply.json(500, "{\"error\":\"internal\"}"));
            if (roll < 0.08) return fault("503", VendorStub.Reply.json(503, "{\"error\":\"unavailable\"}"));
            if (roll < 0.11) return fault("429 + Retry-After", VendorStub.Reply.json(429, "{}").withHeader("Retry-After", "1"));
            if (roll < 0.14) return fault("429", VendorStub.Reply.json(429, "{}"));
            if (roll < 0.16) return fault("reset", VendorStub.Reply.drop());
            VendorStub.Reply reply = sandbox.answer(r);
            boolean write = !r.method().equals("GET");
            if (write) {
                String key = r.method() + " " + r.path() + " " + r.body();
                applied.merge(key, 1, Integer::sum);
                if (roll < 0.18) {
                    appliedAfterTimeout.put(key, true);
                    return fault("timeout (write applied)", reply.after(Duration.ofMillis(900)));
                }
            } else if (roll < 0.18) {
                return fault("timeout", reply.after(Duration.ofMillis(900)));
            }
            return reply;
        }

        private VendorStub.Reply fault(String kind, VendorStub.Reply reply) {
            injected.merge(kind, 1, Integer::sum);
            return reply;
        }
    }

    /**
     * @param faults      the vendor fails at the seeded rates (else it answers every call)
     * @param resend      the producer sends every event twice (an SDK retrying a batch after a timeout: same messageId)
     * @param deduplicate the functions use the deduplication table (DEDUP_TABLE)
     */
    public record Options(String scenario, boolean faults, boolean resend, boolean deduplicate) {
        public static Options mixed(boolean deduplicate) {
            return new Options("mixed", true, false, deduplicate);
        }

        public static Options resend(boolean deduplicate) {
            return new Options("resend", false, true, deduplicate);
        }
    }

    /** The mixed scenario with deduplication on. */
    public static Report run(Path eventsDir, int messages, long seed, Duration outage, PrintStream out) throws Exception {
        return run(eventsDir, messages, seed, outage, Options.mixed(true), out);
    }

    /**
     * Runs the fault scenario for every function at once, each on its own: {@code messages} messages per function, its
     * own seeded vendor (faults, outage), nothing shared but moto_server, so that adding a function changes no other
     * function's figures (D42). {@code eventsDir} holds each function's env.json (its settings).
     *
     * @return the totals; {@link Report#byFunction()} the report of each function, by slug
     */
    public static Report run(Path eventsDir, int messages, long seed, Duration outage, Options options, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        Map<String, Report> byFunction = new TreeMap<>();
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            boolean deduplicate = options.deduplicate() && AwsEndpoint.hasDynamoDb(aws.endpoint());
            if (options.deduplicate() && !deduplicate) out.println("deduplication off: " + AwsEndpoint.NO_DYNAMODB);
            String table = deduplicate ? MotoServer.createDedupTable(aws.dynamoDb(), "faults-delivered-" + Long.toHexString(System.nanoTime())) : null;
            Map<String, FaultyVendor> vendors = new ConcurrentHashMap<>();
            // each function's vendor answers under its own base path (<stub>/<vendor host><base path>)
            stub.respond(r -> vendors.values().stream().filter(v -> v.sandbox.takes(r)).findFirst().map(v -> v.answer(r))
                    .orElseGet(() -> VendorStub.Reply.json(404, "{\"error\":\"no vendor under this path\"}")));
            List<FunctionRun> runs = new ArrayList<>();
            for (Functions.Spec function : Functions.ALL) {
                FaultyVendor vendor = new FaultyVendor(seed + function.slug().hashCode(), options.faults(), outage);
                vendors.put(function.slug(), vendor);
                runs.add(FunctionRun.publish(aws, stub, eventsDir, function, vendor, table, messages, seed, options));
            }
            out.println("published " + messages + (options.resend() ? " messages twice" : " messages") + " to each of " + runs.size()
                    + " functions; delivering through faults ...");
            List<Thread> drains = new ArrayList<>();
            vendors.values().forEach(FaultyVendor::start);
            for (FunctionRun run : runs) {
                drains.add(Thread.ofPlatform().start(() -> {
                    try {
                        run.drain();
                    } catch (RuntimeException e) { // what it left undelivered is counted as lost
                        e.printStackTrace(out);
                    }
                }));
            }
            for (Thread t : drains) t.join();
            for (FunctionRun run : runs) byFunction.put(run.function.slug(), run.report(options.scenario(), started));
        }
        return Report.total(options.scenario(), byFunction, (System.currentTimeMillis() - started) / 1000);
    }

    /** One function's share of a run: its queues, its vendor, what it published and how each message ended. */
    private static final class FunctionRun {
        final Functions.Spec function;
        final FaultyVendor vendor;
        final SqsClient sqs;
        final QueuePair queues;
        final EventSourcePoller poller;
        final Map<String, Outcome> finalResult = new ConcurrentHashMap<>();
        final Map<String, String> parkedReason = new ConcurrentHashMap<>();
        /** SQS message id -> the event's messageId, for the events of a type the destination deduplicates */
        final Map<String, String> deduplicated = new ConcurrentHashMap<>();
        final Map<String, Integer> deliveredEvents = new ConcurrentHashMap<>();
        final AtomicInteger retried = new AtomicInteger();
        final AtomicInteger skippedDuplicates = new AtomicInteger();
        int published;

        private FunctionRun(Functions.Spec function, FaultyVendor vendor, SqsClient sqs, ScaleScenarios.Deployed deployed) {
            this.function = function;
            this.vendor = vendor;
            this.sqs = sqs;
            this.queues = deployed.queues();
            this.poller = deployed.pollers().get(0);
        }

        static FunctionRun publish(MotoServer aws, VendorStub stub, Path eventsDir, Functions.Spec function, FaultyVendor vendor, String table,
                                   int messages, long seed, Options options) throws Exception {
            // the backoff, receives and circuit compressed so the run takes a minute
            Map<String, String> overrides = new HashMap<>(Map.of("MAX_RECEIVE_COUNT", "6", "RETRY_BASE_SECONDS", "1", "RETRY_MAX_SECONDS", "3",
                    "CIRCUIT_OPEN_SECONDS", "1", // like the backoff: 30 s would outlast 6 receives
                    "HTTP_REQUEST_TIMEOUT_MS", "400", "DEADLINE_MARGIN_MS", "0",
                    "DEDUP_CLAIM_SECONDS", "20")); // below this run's visibility timeout (30 s), as the template's 60 s is below 180 s
            if (table != null) overrides.put("DEDUP_TABLE", table);
            FunctionRun[] self = new FunctionRun[1];
            ScaleScenarios.Deployed deployed = ScaleScenarios.Deployed.of(aws, stub, vendor.sandbox, eventsDir, function, overrides, 1, 30,
                    (id, result, reason) -> self[0].settled(id, result, reason), "faults");
            FunctionRun run = new FunctionRun(function, vendor, aws.sqs(), deployed);
            self[0] = run;
            JsonNode settings = Json.parse(SamTemplate.envVars(eventsDir.resolve(function.slug()).resolve("env.json"), function.logicalId())
                    .getOrDefault("DESTINATION_SETTINGS", "{}"));
            Random shapes = new Random(seed + function.slug().hashCode());
            List<String> bodies = new ArrayList<>();
            for (int n = 0; n < messages; n++) bodies.add(body(function, n, shapes));
            if (options.resend()) bodies.addAll(List.copyOf(bodies)); // the producer sends them all again: same messageIds
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (String body : bodies) {
                batch.add(SendMessageBatchRequestEntry.builder().id("e" + batch.size()).messageBody(body).build());
                if (batch.size() == 10 || batch.size() + run.published == bodies.size()) {
                    List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                    var sent = run.sqs.sendMessageBatch(b -> b.queueUrl(run.queues.queueUrl()).entries(entries));
                    for (var ok : sent.successful()) {
                        String eventBody = entries.get(Integer.parseInt(ok.id().substring(1))).messageBody();
                        run.remember(ok.messageId(), eventBody, settings);
                    }
                    run.published += entries.size();
                    batch.clear();
                }
            }
            return run;
        }

        /** An event of a type the destination deduplicates (its settings decide, {@code Destination.deduplicates}). */
        private void remember(String sqsId, String body, JsonNode settings) {
            try {
                JsonNode event = Json.parse(body);
                EventType type = EventType.of(event.path("type").asText());
                if (function.deduplicates(type, settings)) deduplicated.put(sqsId, event.path("messageId").asText());
            } catch (java.io.IOException | RuntimeException notAnEvent) {
                // the malformed body: not an event write
            }
        }

        private void settled(String id, Outcome result, String reason) {
            if (result == Outcome.RETRIED) {
                retried.incrementAndGet();
                return;
            }
            finalResult.merge(id, result, (a, b) -> a); // a second final result is a duplicate delivery
            if (result == Outcome.PARKED) parkedReason.put(id, reason);
            if ("duplicate".equals(reason)) skippedDuplicates.incrementAndGet();
            String event = deduplicated.get(id);
            if (event != null && result == Outcome.DELIVERED) deliveredEvents.merge(event, 1, Integer::sum);
        }

        void drain() {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (QueuePair.depth(sqs, queues.queueUrl()) > 0 && System.nanoTime() < deadline) {
                if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) sleep(200);
            }
        }

        Report report(String scenario, long started) {
            int dlqWithoutReason = 0;
            for (List<Message> got = receive(sqs, queues.dlqUrl()); !got.isEmpty(); got = receive(sqs, queues.dlqUrl())) {
                for (Message m : got) {
                    if (!m.messageAttributes().containsKey("reason")) dlqWithoutReason++;
                    sqs.deleteMessage(b -> b.queueUrl(queues.dlqUrl()).receiptHandle(m.receiptHandle()));
                }
            }
            int delivered = (int) finalResult.values().stream().filter(r -> r == Outcome.DELIVERED).count();
            Map<String, Integer> byReason = new TreeMap<>();
            parkedReason.values().forEach(r -> byReason.merge(r, 1, Integer::sum));
            int settled = finalResult.size() + dlqWithoutReason;
            int duplicates = (int) vendor.applied.values().stream().filter(n -> n > 1).count();
            int timeoutDuplicates = (int) vendor.applied.entrySet().stream().filter(e -> e.getValue() > 1 && vendor.appliedAfterTimeout.containsKey(e.getKey())).count();
            int eventDuplicates = (int) deliveredEvents.values().stream().filter(n -> n > 1).count();
            return new Report(scenario, published, delivered, byReason, dlqWithoutReason, published - settled, retried.get(), duplicates, timeoutDuplicates,
                    eventDuplicates, skippedDuplicates.get(), new TreeMap<>(vendor.injected), vendor.calls.get(), (System.currentTimeMillis() - started) / 1000,
                    Map.of());
        }
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(60).messageAttributeNames("All")).messages();
    }

    /** The spec types bin/fault-run sends, where the destination handles them ({@code handledTypes()}). */
    static final List<EventType> TYPES = List.of(EventType.IDENTIFY, EventType.TRACK, EventType.GROUP, EventType.PAGE);

    /** Whether {@link #body} of this number is the malformed one: one in fifty, from the 30th on (a 30-message run has one). */
    static boolean malformed(int n) {
        return n % 50 == 29;
    }

    /** A realistic event of a type the destination handles, for a user of its own; one in fifty is not JSON. */
    static String body(Functions.Spec function, int n, Random random) {
        if (malformed(n)) return "{\"type\":\"identify\",\"userId\":\"broken-" + n;
        String user = "\"userId\":\"fault-user-" + n + "\",\"messageId\":\"fault-msg-" + n + "\"";
        String traits = "\"traits\":{\"email\":\"user" + n + "@example.com\",\"firstName\":\"F" + n + "\",\"plan\":\"pro\",\"name\":\"Company " + n + "\"}";
        String ts = "\"timestamp\":\"2026-11-24T10:00:00Z\"";
        List<String> types = TYPES.stream().filter(function::handles).map(EventType::wireName).toList();
        String type = types.get(random.nextInt(types.size()));
        return switch (type) {
            case "track" -> "{\"type\":\"track\"," + user + ",\"event\":\"Report Exported\",\"properties\":{\"rows\":" + n + "}," + ts + "}";
            case "group" -> "{\"type\":\"group\"," + user + ",\"groupId\":\"fault-group-" + n % 7 + "\"," + traits + "," + ts
                    + ",\"context\":{\"traits\":{\"email\":\"user" + n + "@example.com\"}}}";
            case "page" -> "{\"type\":\"page\"," + user + ",\"context\":{\"page\":{\"url\":\"https://app.example.com/p\",\"path\":\"/p\"}}," + ts + "}";
            default -> "{\"type\":\"identify\"," + user + "," + traits + "," + ts + "}";
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
