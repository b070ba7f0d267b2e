package dev.destinations.tools.local;

import dev.destinations.lambda.Outcome;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code bin/fault-run [--messages N] [--seed S]}: N messages over the three functions through real SQS semantics
 * (moto_server queues, DLQs and redrive policies, the event-source poller) while the vendor fails at a seeded rate
 * with 500, 503, 429 with and without Retry-After, timeouts (the write is applied, the answer comes too late),
 * connection resets, and one full outage period. At the end every message must be delivered or in a DLQ with its
 * reason: the summary counts lost messages (must be 0) and duplicate vendor writes (at-least-once), and says where
 * the duplicates come from.
 */
public final class FaultRun {
    private FaultRun() {}

    /** The summary of one run. */
    /**
     * @param eventDuplicates   track/page writes (the non-idempotent ones, README "Duplicate events") applied more than once,
     *                          not counting those after a timeout (which no store can catch): the store's to prevent
     * @param skippedDuplicates messages skipped as {@code duplicate}
     */
    public record Report(String scenario, int published, int delivered, Map<String, Integer> parkedByReason, int dlqWithoutReason, int lost,
                         int retriedAttempts, int duplicateWrites, int timeoutDuplicates, int eventDuplicates, int skippedDuplicates,
                         Map<String, Integer> injected, int vendorCalls, long seconds) {
        public int parked() {
            return parkedByReason.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** bin/fault-run's last line for this run. */
        public ScaleScenarios.Line line() {
            int rateLimited = injected.getOrDefault("429", 0) + injected.getOrDefault("429 + Retry-After", 0);
            return new ScaleScenarios.Line(scenario, published, delivered, parked(), lost, duplicateWrites, vendorCalls, rateLimited, seconds * 1000,
                    Map.of("writes applied twice after a timeout (the function cannot know)", String.valueOf(timeoutDuplicates),
                            "track/page writes applied twice, not after a timeout (the store's to prevent)", String.valueOf(eventDuplicates),
                            "skipped as duplicate", String.valueOf(skippedDuplicates)));
        }
    }

    public static void main(String[] args) throws Exception {
        String scenario = "mixed";
        Integer messages = null;
        long seed = 1;
        int limit = 50;
        int instances = 5;
        int outageSeconds = 6 * 3600 / ScaleScenarios.OUTAGE_SCALE;
        boolean deduplicate = true;
        boolean budget = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario" -> scenario = args[++i];
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--rate-limit" -> limit = Integer.parseInt(args[++i]);
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--outage-seconds" -> outageSeconds = Integer.parseInt(args[++i]);
                case "--no-dedup" -> deduplicate = false;
                case "--no-budget" -> budget = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see bin/fault-run --help)");
            }
        }
        ScaleScenarios.Line line = switch (scenario) {
            case "mixed" -> {
                Report r = run(Path.of("events"), messages == null ? 1000 : messages, seed, Duration.ofSeconds(4), Options.mixed(deduplicate), System.out);
                print(r, System.out);
                yield r.line();
            }
            case "resend" -> {
                Report r = run(Path.of("events"), messages == null ? 300 : messages, seed, Duration.ZERO, Options.resend(deduplicate), System.out);
                print(r, System.out);
                yield r.line();
            }
            case "outage" -> ScaleScenarios.outage(Path.of("events"), messages == null ? 300 : messages, Duration.ofSeconds(outageSeconds), System.out);
            case "backfill" -> ScaleScenarios.backfill(Path.of("events"), messages == null ? 10_000 : messages, limit, instances, budget, System.out);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + ": outage, backfill, resend or mixed");
        };
        line.figures().forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println(line.text());
        System.exit(line.lost() == 0 ? 0 : 1);
    }

    public static void print(Report r, PrintStream out) {
        out.println();
        out.println("| measure | value |");
        out.println("|---|---|");
        out.println("| messages published | " + r.published() + " |");
        out.println("| delivered | " + r.delivered() + " |");
        out.println("| parked by the function, by reason | " + r.parked() + " " + r.parkedByReason() + " |");
        out.println("| moved to a DLQ by SQS redrive (no reason) | " + r.dlqWithoutReason() + " |");
        out.println("| **lost** | **" + r.lost() + "** |");
        out.println("| retry attempts (batch item failures) | " + r.retriedAttempts() + " |");
        out.println("| vendor writes applied more than once | " + r.duplicateWrites() + " (of which after a timeout: " + r.timeoutDuplicates() + ") |");
        out.println("| track/page writes applied more than once, not after a timeout | " + r.eventDuplicates() + " |");
        out.println("| skipped as duplicate | " + r.skippedDuplicates() + " |");
        out.println("| injected faults | " + r.injected() + " |");
        out.println("| wall time | " + r.seconds() + " s |");
    }

    /** The vendor: the sandbox's answers, with seeded faults and an outage window. */
    static final class FaultyVendor {
        final VendorSandbox sandbox = new VendorSandbox(0, 3);
        private final Random random;
        private final boolean faults;
        private final long outageAfter;
        private final long outageLength;
        private volatile long firstCall;
        final Map<String, Integer> injected = new ConcurrentHashMap<>();
        final Map<String, Integer> applied = new ConcurrentHashMap<>();
        final Map<String, Boolean> appliedAfterTimeout = new ConcurrentHashMap<>();

        /** The outage begins {@code outageAfterMillis} after the first call (not after setup, whose length varies) and lasts {@code outageMillis}. */
        FaultyVendor(long seed, boolean faults, long outageAfterMillis, long outageMillis) {
            this.random = new Random(seed);
            this.faults = faults;
            this.outageAfter = outageAfterMillis;
            this.outageLength = outageMillis;
        }

        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        VendorStub.Reply answer(VendorStub.Recorded r) {
            calls.incrementAndGet();
            long now = System.currentTimeMillis();
            synchronized (this) {
                if (firstCall == 0) firstCall = now;
            }
            if (now >= firstCall + outageAfter && now < firstCall + outageAfter + outageLength) return fault("outage 503", VendorStub.Reply.json(503, "{\"error\":\"outage\"}"));
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

    /** The non-idempotent event writes, as each function's descriptor knows them. */
    static boolean eventWrite(String path) {
        return Functions.ALL.stream().anyMatch(f -> f.eventWrite().test(path));
    }

    /** The mixed scenario with deduplication on. */
    public static Report run(Path eventsDir, int messages, long seed, Duration outage, PrintStream out) throws Exception {
        return run(eventsDir, messages, seed, outage, Options.mixed(true), out);
    }

    /** Runs the fault scenario; {@code eventsDir} holds each function's env.json (its settings). */
    public static Report run(Path eventsDir, int messages, long seed, Duration outage, Options options, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        Map<String, Outcome> finalResult = new ConcurrentHashMap<>();
        Map<String, String> parkedReason = new ConcurrentHashMap<>();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger skippedDuplicates = new AtomicInteger();
        FaultyVendor vendor = new FaultyVendor(seed, options.faults(), 1000, outage.toMillis());
        int published = 0;
        int events = 0;
        int dlqWithoutReason = 0;
        List<Thread> pollers = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            stub.respond(vendor::answer);
            SqsClient sqs = aws.sqs();
            boolean deduplicate = options.deduplicate() && AwsEndpoint.hasDynamoDb(aws.endpoint());
            if (options.deduplicate() && !deduplicate) out.println("deduplication off: " + AwsEndpoint.NO_DYNAMODB);
            String table = deduplicate ? MotoServer.createDedupTable(aws.dynamoDb(), "faults-delivered-" + Long.toHexString(System.nanoTime())) : null;
            List<Runnable> drains = new ArrayList<>();
            Map<String, QueuePair> queues = new HashMap<>();
            Random shapes = new Random(seed);
            int perFunction = (messages + Functions.ALL.size() - 1) / Functions.ALL.size();
            for (Functions.Spec function : Functions.ALL) {
                String slug = function.destination().slug();
                // the backoff, receives and circuit compressed so the run takes a minute
                Map<String, String> overrides = new HashMap<>(Map.of("MAX_RECEIVE_COUNT", "6", "RETRY_BASE_SECONDS", "1", "RETRY_MAX_SECONDS", "3",
                        "CIRCUIT_OPEN_SECONDS", "1", // like the backoff: 30 s would outlast 6 receives
                        "HTTP_REQUEST_TIMEOUT_MS", "400", "DEADLINE_MARGIN_MS", "0",
                        "DEDUP_CLAIM_SECONDS", "20")); // below this run's visibility timeout (30 s), as the template's 60 s is below 180 s
                if (table != null) overrides.put("DEDUP_TABLE", table);
                ScaleScenarios.Deployed deployed = ScaleScenarios.Deployed.of(aws, stub, vendor.sandbox, eventsDir, function, overrides, 1, 30, (id, result, reason) -> {
                    if (result == Outcome.RETRIED) {
                        retried.incrementAndGet();
                        return;
                    }
                    finalResult.merge(id, result, (a, b) -> a); // a second final result is a duplicate delivery
                    if (result == Outcome.PARKED) parkedReason.put(id, reason);
                    if ("duplicate".equals(reason)) skippedDuplicates.incrementAndGet();
                }, "faults");
                QueuePair q = deployed.queues();
                queues.put(slug, q);
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < perFunction && events < messages; i++) bodies.add(body(slug, events++, shapes));
                if (options.resend()) bodies.addAll(List.copyOf(bodies)); // the producer sends them all again: same messageIds
                published += bodies.size();
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (String body : bodies) {
                    batch.add(SendMessageBatchRequestEntry.builder().id("e" + batch.size()).messageBody(body).build());
                    if (batch.size() == 10) {
                        List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                        sqs.sendMessageBatch(b -> b.queueUrl(q.queueUrl()).entries(entries));
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) sqs.sendMessageBatch(b -> b.queueUrl(q.queueUrl()).entries(batch));
                EventSourcePoller poller = deployed.pollers().get(0);
                drains.add(() -> {
                    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                    while (QueuePair.depth(sqs, q.queueUrl()) > 0 && System.nanoTime() < deadline) {
                        if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) sleep(200);
                    }
                });
            }
            out.println("published " + published + " messages over " + Functions.ALL.size() + " functions; delivering through faults ...");
            for (Runnable drain : drains) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        drain.run();
                    } catch (RuntimeException e) {
                        failed.set(true);
                        e.printStackTrace(out);
                    }
                });
                pollers.add(t);
            }
            for (Thread t : pollers) t.join();
            for (QueuePair q : queues.values()) {
                for (List<Message> got = receive(sqs, q.dlqUrl()); !got.isEmpty(); got = receive(sqs, q.dlqUrl())) {
                    for (Message m : got) {
                        if (!m.messageAttributes().containsKey("reason")) dlqWithoutReason++;
                        sqs.deleteMessage(b -> b.queueUrl(q.dlqUrl()).receiptHandle(m.receiptHandle()));
                    }
                }
            }
        }
        int delivered = (int) finalResult.values().stream().filter(r -> r == Outcome.DELIVERED).count();
        Map<String, Integer> byReason = new TreeMap<>();
        parkedReason.values().forEach(r -> byReason.merge(r, 1, Integer::sum));
        int settled = finalResult.size() + dlqWithoutReason;
        int duplicates = (int) vendor.applied.values().stream().filter(n -> n > 1).count();
        int timeoutDuplicates = (int) vendor.applied.entrySet().stream().filter(e -> e.getValue() > 1 && vendor.appliedAfterTimeout.containsKey(e.getKey())).count();
        int eventDuplicates = (int) vendor.applied.entrySet().stream().filter(e -> e.getValue() > 1 && eventWrite(e.getKey().split(" ", 3)[1])
                && !vendor.appliedAfterTimeout.containsKey(e.getKey())).count();
        return new Report(options.scenario(), published, delivered, byReason, dlqWithoutReason, published - settled, retried.get(), duplicates, timeoutDuplicates,
                eventDuplicates, skippedDuplicates.get(), new TreeMap<>(vendor.injected), vendor.calls.get(), (System.currentTimeMillis() - started) / 1000);
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(60).messageAttributeNames("All")).messages();
    }

    /** A realistic event of a type the destination handles, for a user of its own; one in fifty is not JSON. */
    static String body(String slug, int n, Random random) {
        if (n % 50 == 49) return "{\"type\":\"identify\",\"userId\":\"broken-" + n;
        String user = "\"userId\":\"fault-user-" + n + "\",\"messageId\":\"fault-msg-" + n + "\"";
        String traits = "\"traits\":{\"email\":\"user" + n + "@example.com\",\"firstName\":\"F" + n + "\",\"plan\":\"pro\",\"name\":\"Company " + n + "\"}";
        String ts = "\"timestamp\":\"2026-11-24T10:00:00Z\"";
        List<String> types = new ArrayList<>(List.of("identify", "track", "group"));
        if (slug.equals("user-com")) types.add("page");
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
