package dev.destinations.tools.local;

import dev.destinations.delivery.DailyQuota;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * bin/fault-run's scale scenarios, through real SQS semantics on moto_server and the real handlers:
 * <ul>
 *   <li><b>outage</b>: the vendor is down for 6 hours while events keep arriving, under the template's defaults;
 *       every event must be delivered, none parked, each soon after the vendor recovers, and an instance must stop
 *       calling a vendor that keeps failing (its circuit);</li>
 *   <li><b>backfill</b>: a backlog drained by K instances against a vendor that allows R calls a second and answers
 *       429 with Retry-After above that; the drain must reach 90% of R with 0 parked and at most 1% of calls 429;</li>
 *   <li><b>backfill-lane</b> (D57, D58): a steady live stream at a tenth of R, first alone, then while a backlog drains
 *       through the backfill queue; live events must keep their latency (p99 under 2x the one without the backfill),
 *       the backfill must drain at 90% of the rate left to it, and nothing is parked or lost;</li>
 *   <li><b>quota</b>: a backlog larger than a day's quota (D38), with quota days compressed to {@code --day-seconds}:
 *       it must drain over the following days with 0 parked and no day's vendor calls above the quota.</li>
 * </ul>
 * The outage runs time-compressed by {@link #OUTAGE_SCALE}: every duration of the template's defaults (backoff, retry
 * window, circuit, the outage itself) is divided by it, so the run takes minutes instead of hours. What the goals
 * depend on are ratios (outage / backoff cap, window / outage, receives per window), which the scaling keeps; what
 * it cannot scale is the poller's own latency (moto's receive and this loop's 0.1 s sleep when a queue is empty,
 * 20 s and more of real time each), which the "delivered after recovery" figure includes.
 */
public final class ScaleScenarios {
    /** One second of the compressed outage run stands for this many seconds of the template's defaults. */
    public static final int OUTAGE_SCALE = 200;
    /** The most messages the backfill keeps on the queue at once (see {@link #backfill}). */
    static final int BACKLOG_DEPTH = 400;

    private ScaleScenarios() {}

    /** What a scenario ends with: the fields of bin/fault-run's last line, and the scenario's own figures. */
    public record Line(String scenario, int published, int delivered, int parked, int lost, int duplicateWrites, int vendorCalls,
                       int rateLimited, long millis, Map<String, String> figures) {
        public double callsPerEvent() {
            return published == 0 ? 0 : (double) vendorCalls / published;
        }

        /** The line bin/fault-run ends with, exactly in the format. */
        public String text() {
            return String.format(java.util.Locale.ROOT,
                    "fault-run: scenario=%s published=%d delivered=%d parked=%d lost=%d duplicate_writes=%d vendor_calls=%d calls_per_event=%.2f rate_limited=%d seconds=%d",
                    scenario, published, delivered, parked, lost, duplicateWrites, vendorCalls, callsPerEvent(), rateLimited, Math.round(millis / 1000.0));
        }
    }

    /**
     * The outage: {@code messages} events over the three functions, published evenly while the vendor answers 503
     * for {@code outage} (real time: already compressed), then the vendor recovers.
     */
    public static Line outage(Path eventsDir, int messages, Duration outage, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        long recovery = started + outage.toMillis();
        AtomicInteger callsDuringOutage = new AtomicInteger();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        Map<String, String> parked = new ConcurrentHashMap<>();
        Map<String, String> lastResult = new ConcurrentHashMap<>(); // every SQS message seen, its latest result (retries too)
        Map<String, String> sentIds = new ConcurrentHashMap<>(); // SQS message id -> the event's messageId
        List<String> refusedSends = java.util.Collections.synchronizedList(new ArrayList<>()); // after the SDK's own retries
        VendorSandbox sandbox = new VendorSandbox(0, 7);
        Counting vendor = new Counting(r -> {
            if (System.currentTimeMillis() < recovery) {
                callsDuringOutage.incrementAndGet();
                return VendorStub.Reply.json(503, "{\"error\":\"outage\"}");
            }
            return sandbox.answer(r);
        });
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            stub.respond(vendor::answer);
            List<Deployed> functions = new ArrayList<>();
            for (Functions.Spec f : Functions.ALL) {
                functions.add(Deployed.of(aws, stub, sandbox, eventsDir, f, scaledDefaults(), 1, null, (m, result, reason) -> {
                    lastResult.put(m, result.code() + (reason == null ? "" : " " + reason));
                    if (result == Outcome.DELIVERED) deliveredAt.putIfAbsent(m, System.currentTimeMillis());
                    if (result == Outcome.PARKED) parked.put(m, reason);
                }, "scale"));
            }
            out.printf("outage: %d events over %d functions while the vendor is down for %d s (= %.1f h at 1:%d), then it recovers%n",
                    messages, functions.size(), outage.toSeconds(), outage.toSeconds() * OUTAGE_SCALE / 3600.0, OUTAGE_SCALE);
            Thread publisher = Thread.ofPlatform().start(() -> {
                Random shapes = new Random(11);
                for (int n = 0, sent = 0; sent < messages; n++) {
                    if (FaultRun.malformed(n)) continue; // FaultRun.body's malformed body: not this scenario's subject
                    Deployed f = functions.get(sent % functions.size());
                    String body = FaultRun.body(Functions.named(f.slug()), n, shapes);
                    try {
                        sentIds.put(f.aws().sendMessage(b -> b.queueUrl(f.queues().queueUrl()).messageBody(body)).messageId(), "fault-msg-" + n);
                    } catch (software.amazon.awssdk.core.exception.SdkException e) { // counted, so it is not mistaken for a loss
                        refusedSends.add("fault-msg-" + n + ": " + e.getClass().getSimpleName());
                    }
                    sent++;
                    sleepMillis(outage.toMillis() / messages);
                }
            });
            drain(functions, Duration.ofSeconds(outage.toSeconds() + 120), () -> publisher.isAlive());
            publisher.join();
            long lastAfterRecovery = deliveredAt.values().stream().mapToLong(t -> t - recovery).max().orElse(0);
            int dlq = functions.stream().mapToInt(f -> QueuePair.depth(f.aws(), f.queues().dlqUrl())).sum();
            int delivered = deliveredAt.size();
            Map<String, String> figures = new java.util.LinkedHashMap<>();
            figures.put("vendor calls during the outage", String.valueOf(callsDuringOutage.get()));
            figures.put("vendor calls per event during the outage", String.format(java.util.Locale.ROOT, "%.2f", (double) callsDuringOutage.get() / messages));
            figures.put("last delivery after recovery", String.format(java.util.Locale.ROOT, "%.1f s (= %.1f min at 1:%d)",
                    lastAfterRecovery / 1000.0, lastAfterRecovery / 1000.0 * OUTAGE_SCALE / 60, OUTAGE_SCALE));
            figures.put("parked reasons", new java.util.TreeMap<>(parked).values().stream().distinct().toList().toString());
            if (!refusedSends.isEmpty()) figures.put("sends the queue refused (never published)", refusedSends.toString());
            // a lost message must explain itself: its event, and the last result the function reported for it
            List<String> unaccounted = new ArrayList<>();
            sentIds.forEach((sqsId, event) -> {
                if (!deliveredAt.containsKey(sqsId) && !parked.containsKey(sqsId)) unaccounted.add(event + ": " + lastResult.getOrDefault(sqsId, "never received"));
            });
            if (!unaccounted.isEmpty()) figures.put("not delivered, not parked", new java.util.TreeSet<>(unaccounted).toString());
            // every parked message is in a DLQ, and so is one SQS's redrive moved: the rest is lost
            return new Line("outage", messages, delivered, parked.size(), messages - delivered - dlq,
                    vendor.duplicateWrites(), vendor.calls.get(), vendor.rateLimited.get(), System.currentTimeMillis() - started, figures);
        }
    }

    /** The template's retry, window and circuit defaults, every duration divided by {@link #OUTAGE_SCALE} (at least 1 s). */
    static Map<String, String> scaledDefaults() {
        return Map.of("RETRY_BASE_SECONDS", "1", // 10 s / 200, at least 1
                "RETRY_MAX_SECONDS", String.valueOf(600 / OUTAGE_SCALE), // 3 s: a message is retried at least every 10 min
                "RETRY_WINDOW_SECONDS", String.valueOf(86_400 / OUTAGE_SCALE), // 432 s: 24 h
                "CIRCUIT_FAILURES", "5",
                "CIRCUIT_OPEN_SECONDS", "1", // 30 s / 200, at least 1 (SQS and the settings count whole seconds)
                "MAX_RECEIVE_COUNT", "1000");
    }

    /**
     * The backfill: {@code messages} Custify identifies already on the queue, {@code instances} handlers (each its own
     * circuit and rate budget, as Lambda instances are) against a vendor that allows {@code limit} calls a second.
     */
    public static Line backfill(Path eventsDir, int messages, int limit, int instances, PrintStream out) throws Exception {
        return backfill(eventsDir, messages, limit, instances, true, out);
    }

    /** @param budget false: the instances call at full speed (no VENDOR_RATE_LIMIT), to compare with */
    public static Line backfill(Path eventsDir, int messages, int limit, int instances, boolean budget, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        Map<String, String> parked = new ConcurrentHashMap<>();
        VendorSandbox sandbox = new VendorSandbox(0, 5);
        Counting vendor = rateLimited(sandbox, limit);
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            stub.respond(vendor::answer);
            Functions.Spec custify = Functions.named("custify");
            Map<String, String> env = Map.of("VENDOR_RATE_LIMIT", budget ? String.valueOf(limit) : "", "MAXIMUM_CONCURRENCY", String.valueOf(instances),
                    "MAX_RECEIVE_COUNT", "1000"); // the template's: retries end by time
            Deployed first = Deployed.of(aws, stub, sandbox, eventsDir, custify, env, instances, (m, result, reason) -> {
                if (result == Outcome.DELIVERED) deliveredAt.putIfAbsent(m, System.currentTimeMillis());
                if (result == Outcome.PARKED) parked.put(m, reason);
            });
            out.printf("backfill: %d events, %d instances, a vendor that allows %d calls/s (429 + Retry-After above)%n", messages, instances, limit);
            // the backlog is fed so the queue holds at most BACKLOG_DEPTH at a time: moto_server's receive cost grows
            // with the queue's depth (about 74 ms at 1,000, seconds at 10,000), real SQS's does not
            Thread feeder = Thread.ofPlatform().start(() -> {
                for (int sent = 0; sent < messages; ) {
                    if (QueuePair.depth(first.aws(), first.queues().queueUrl()) >= BACKLOG_DEPTH) {
                        sleepMillis(50);
                        continue;
                    }
                    int n = Math.min(100, messages - sent);
                    publish(first.aws(), first.queues().queueUrl(), sent, n);
                    sent += n;
                }
            });
            long drainStart = System.currentTimeMillis();
            drain(List.of(first), Duration.ofSeconds(60 + 3L * messages / Math.max(1, limit)), feeder::isAlive);
            feeder.join();
            long drainMillis = deliveredAt.values().stream().mapToLong(t -> t).max().orElse(drainStart) - drainStart;
            double rate = deliveredAt.size() / Math.max(0.001, drainMillis / 1000.0);
            Map<String, String> figures = new java.util.LinkedHashMap<>();
            figures.put("drain rate", String.format(java.util.Locale.ROOT, "%.1f events/s = %.0f%% of the vendor's %d/s", rate, 100 * rate / limit, limit));
            figures.put("429 share of calls", String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * vendor.rateLimited.get() / Math.max(1, vendor.calls.get())));
            int dlq = QueuePair.depth(first.aws(), first.queues().dlqUrl());
            return new Line("backfill", messages, deliveredAt.size(), parked.size(), messages - deliveredAt.size() - dlq,
                    vendor.duplicateWrites(), vendor.calls.get(), vendor.rateLimited.get(), System.currentTimeMillis() - started, figures);
        }
    }

    /**
     * The backfill lane: {@code backfill} Custify identifies, in batch bodies of ten, through the backfill queue (its event source:
     * {@code backfillInstances} instances), while a live stream of identifies arrives on the live queue at
     * {@code liveShare} of the vendor's {@code limit} (the live event source: {@code instances} instances). First the
     * live stream runs alone for {@code baselineSeconds}: its latencies (sent to delivered) are the baseline; then the
     * backlog is fed (at most {@link #BACKLOG_DEPTH} on the queue at once, as in {@link #backfill}) while the stream
     * goes on, until the backlog is drained. The vendor allows {@code limit} calls a second and answers 429 above it.
     */
    public static Line backfillLane(Path eventsDir, int backfill, int limit, int instances, int backfillInstances, double liveShare,
                                    int baselineSeconds, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        double share = 0.5; // the template's BackfillShare
        Map<String, Long> sentAt = new ConcurrentHashMap<>(); // event messageId -> sent (live events)
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>(); // event messageId -> delivered (both lanes)
        Map<String, String> parked = new ConcurrentHashMap<>();
        VendorSandbox sandbox = new VendorSandbox(0, 13);
        Counting vendor = rateLimited(sandbox, limit);
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            stub.respond(vendor::answer);
            SqsClient sqs = aws.sqs();
            Functions.Spec custify = Functions.named("custify");
            FunctionEnvironment fn = FunctionEnvironment.create(sqs, aws.secrets(), eventsDir, custify,
                    FunctionEnvironment.Overrides.uniqueStack("lanes").batchingWindow(Duration.ZERO).maxReceiveCount(1000)
                            .env(Map.of("VENDOR_BASE_URL", sandbox.add(custify, FunctionEnvironment.settings(eventsDir, custify), stub.baseUrl()), "DEADLINE_MARGIN_MS", "1000", "HTTP_REQUEST_TIMEOUT_MS", "2000",
                                    "VENDOR_RATE_LIMIT", String.valueOf(limit), "MAXIMUM_CONCURRENCY", String.valueOf(instances),
                                    "BACKFILL_SHARE", String.valueOf(share), "BACKFILL_CONCURRENCY", String.valueOf(backfillInstances))));
            Settled settled = (m, result, reason) -> {
                if (result == Outcome.DELIVERED) deliveredAt.putIfAbsent(m, System.currentTimeMillis());
                if (result == Outcome.PARKED) parked.put(m, reason);
            };
            List<EventSourcePoller> live = new ArrayList<>();
            List<EventSourcePoller> lane = new ArrayList<>();
            for (int i = 0; i < instances + backfillInstances; i++) {
                DestinationHandler handler = custify.handler().apply(new DestinationHandler.Wiring(fn.env(Map.of()), sqs, aws.secrets(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, m, type, result, verdict) -> {
                            if (result != Outcome.RETRIED) settled.on(eventId(m.getBody()), result, verdict.reason() == null ? null : verdict.reason().code());
                        }));
                if (i < instances) live.add(new EventSourcePoller(sqs, fn.queueUrl(), fn.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, fn.timeoutSeconds() * 1000L));
                else lane.add(new EventSourcePoller(sqs, fn.backfillQueueUrl(), fn.backfillQueueArn(), fn.batchSize(), fn.batchingWindow(), handler, fn.timeoutSeconds() * 1000L));
            }
            double liveRate = limit * liveShare;
            double leftToBackfill = Math.min(share * limit, limit - liveRate);
            out.printf("backfill-lane: a live stream at %.0f/s, alone for %d s, then with %d backfill events in batch bodies of 10 (%d live + %d backfill instances), "
                    + "a vendor that allows %d calls/s; the backfill's rate: %.0f/s%n", liveRate, baselineSeconds, backfill, instances, backfillInstances, limit, leftToBackfill);

            java.util.concurrent.atomic.AtomicBoolean backfillDone = new java.util.concurrent.atomic.AtomicBoolean(false);
            AtomicInteger liveSent = new AtomicInteger();
            long backfillStart = started + baselineSeconds * 1000L;
            Thread stream = Thread.ofPlatform().start(() -> { // the live stream, steady, until the backfill is drained
                long interval = Math.round(1_000_000_000L / liveRate);
                long next = System.nanoTime();
                for (int n = 0; !backfillDone.get(); n++) {
                    String id = "live-msg-" + n;
                    sentAt.put(id, System.currentTimeMillis());
                    try {
                        sqs.sendMessage(b -> b.queueUrl(fn.queueUrl()).messageBody(identify("live", id)));
                        liveSent.incrementAndGet();
                    } catch (software.amazon.awssdk.core.exception.SdkException e) { // never published: not a loss
                        sentAt.remove(id);
                    }
                    next += interval;
                    sleepMillis((next - System.nanoTime()) / 1_000_000);
                }
            });
            Thread feeder = Thread.ofPlatform().start(() -> {
                sleepMillis(backfillStart - System.currentTimeMillis());
                for (int sent = 0; sent < backfill; ) {
                    if (QueuePair.depth(sqs, fn.backfillQueueUrl()) >= BACKLOG_DEPTH / 10) {
                        sleepMillis(50);
                        continue;
                    }
                    int n = Math.min(100, backfill - sent);
                    publishBatchBodies(sqs, fn.backfillQueueUrl(), sent, n);
                    sent += n;
                }
            });
            List<Thread> pollers = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(baselineSeconds + 120 + 3L * backfill / Math.max(1, (long) leftToBackfill)).toNanos();
            for (EventSourcePoller p : live) pollers.add(poll(p, deadline, () -> stream.isAlive() || QueuePair.depth(sqs, fn.queueUrl()) > 0));
            for (EventSourcePoller p : lane) pollers.add(poll(p, deadline, () -> feeder.isAlive() || QueuePair.depth(sqs, fn.backfillQueueUrl()) > 0));
            feeder.join();
            while (System.nanoTime() < deadline && backfilled(deliveredAt, parked) < backfill) sleepMillis(200);
            backfillDone.set(true);
            stream.join();
            for (Thread t : pollers) t.join();

            List<Long> alone = new ArrayList<>();
            List<Long> beside = new ArrayList<>();
            long lastBackfill = deliveredAt.entrySet().stream().filter(e -> e.getKey().startsWith("backfill-")).mapToLong(Map.Entry::getValue).max().orElse(backfillStart);
            sentAt.forEach((id, sent) -> {
                Long done = deliveredAt.get(id);
                if (done == null) return;
                if (sent < backfillStart) alone.add(done - sent);
                else if (sent <= lastBackfill) beside.add(done - sent);
            });
            int backfilled = (int) deliveredAt.keySet().stream().filter(k -> k.startsWith("backfill-")).count();
            double drainRate = backfilled / Math.max(0.001, (lastBackfill - backfillStart) / 1000.0);
            long p99Alone = percentile(alone, 99);
            long p99Beside = percentile(beside, 99);
            Map<String, String> figures = new java.util.LinkedHashMap<>();
            figures.put("live p99 latency without the backfill", p99Alone + " ms (" + alone.size() + " events; p50 " + percentile(alone, 50) + " ms)");
            figures.put("live p99 latency beside the backfill", p99Beside + " ms (" + beside.size() + " events; p50 " + percentile(beside, 50) + " ms)");
            figures.put("live p99 ratio", String.format(java.util.Locale.ROOT, "%.2f (goal: under 2)", (double) p99Beside / Math.max(1, p99Alone)));
            figures.put("backfill drain rate", String.format(java.util.Locale.ROOT, "%.1f events/s = %.0f%% of the %.0f/s left to it (goal: 90%%)",
                    drainRate, 100 * drainRate / leftToBackfill, leftToBackfill));
            figures.put("429 share of calls", String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * vendor.rateLimited.get() / Math.max(1, vendor.calls.get())));
            int published = backfill + liveSent.get();
            int dlq = QueuePair.depth(sqs, fn.dlqUrl());
            int delivered = deliveredAt.size();
            List<String> unaccounted = new ArrayList<>();
            sentAt.keySet().forEach(id -> { if (!deliveredAt.containsKey(id) && !parked.containsKey(id)) unaccounted.add(id); });
            if (!unaccounted.isEmpty()) figures.put("live events not delivered, not parked", new java.util.TreeSet<>(unaccounted).toString());
            return new Line("backfill-lane", published, delivered, parked.size(), published - delivered - dlq, vendor.duplicateWrites(),
                    vendor.calls.get(), vendor.rateLimited.get(), System.currentTimeMillis() - started, figures);
        }
    }

    private static int backfilled(Map<String, Long> deliveredAt, Map<String, String> parked) {
        return (int) (deliveredAt.keySet().stream().filter(k -> k.startsWith("backfill-")).count()
                + parked.keySet().stream().filter(k -> k.startsWith("backfill-")).count());
    }

    /**
     * One instance of an event source: polls until the deadline, or until {@code more} says its queue is done. An
     * emulator call that fails (moto_server answering late under load) is the poll's, not the run's: it polls again.
     */
    private static Thread poll(EventSourcePoller poller, long deadline, java.util.function.BooleanSupplier more) {
        return Thread.ofPlatform().start(() -> {
            while (System.nanoTime() < deadline) {
                try {
                    if (poller.pollOnce(Duration.ZERO).received() > 0) continue;
                    if (!more.getAsBoolean()) break;
                } catch (software.amazon.awssdk.core.exception.SdkException e) {
                    // the messages of a failed receive come back after their visibility timeout
                }
                sleepMillis(100);
            }
        });
    }

    /**
     * Custify identifies {@code from} to {@code from + count - 1} as batch bodies of ten events (D19), the way the
     * README's import recipe sends them: a backlog of N events is N / 10 SQS messages, which keeps moto_server's own
     * cost per event (its receive time grows with the queue's depth) out of the drain being measured.
     */
    static void publishBatchBodies(SqsClient sqs, String queueUrl, int from, int count) {
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int n = from; n < from + count; n += 10) {
            java.util.StringJoiner body = new java.util.StringJoiner(",", "{\"batch\":[", "]}");
            for (int k = n; k < Math.min(n + 10, from + count); k++) body.add(identify("backfill", "backfill-msg-" + k));
            batch.add(SendMessageBatchRequestEntry.builder().id("b" + batch.size()).messageBody(body.toString()).build());
            if (batch.size() == 10 || n + 10 >= from + count) {
                List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                batch.clear();
            }
        }
    }

    /** The event's messageId: the scenario's key for an event, whichever SQS message carried it. */
    private static String eventId(String body) {
        try {
            return dev.destinations.mapping.Json.parse(body).path("messageId").asText("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return 0;
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** A Custify identify of user {@code <prefix>-<n>}, its messageId {@code id}. */
    static String identify(String prefix, String id) {
        return "{\"type\":\"identify\",\"userId\":\"" + prefix + "-" + id + "\",\"messageId\":\"" + id
                + "\",\"traits\":{\"email\":\"" + id + "@example.com\",\"plan\":\"pro\"},\"timestamp\":\"2026-11-24T10:00:00Z\"}";
    }

    /**
     * The daily quota (D38): {@code messages} Custify identifies (one call each) on the queue, {@code instances}
     * handlers with {@code VENDOR_DAILY_QUOTA = quota}, quota days of {@code day} (UTC days compressed; the retry
     * window is one such day, so a backlog that outlasts it would park without D38's exemption). Each vendor call is
     * counted in the quota day it reached the vendor in.
     */
    public static Line quota(Path eventsDir, int messages, int quota, Duration day, int instances, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        long dayMillis = day.toMillis();
        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        Map<String, String> parked = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> callsPerDay = new java.util.TreeMap<>();
        AtomicInteger heldBack = new AtomicInteger();
        VendorSandbox sandbox = new VendorSandbox(0, 5);
        Counting vendor = new Counting(r -> {
            synchronized (callsPerDay) {
                callsPerDay.computeIfAbsent(System.currentTimeMillis() / dayMillis, d -> new AtomicInteger()).incrementAndGet();
            }
            return sandbox.answer(r);
        });
        try (MotoServer aws = MotoServer.start(); VendorStub stub = VendorStub.start()) {
            stub.respond(vendor::answer);
            Map<String, String> env = Map.of("VENDOR_DAILY_QUOTA", String.valueOf(quota), "MAXIMUM_CONCURRENCY", String.valueOf(instances),
                    "MAX_RECEIVE_COUNT", "1000", "RETRY_WINDOW_SECONDS", String.valueOf(Math.max(1, day.toSeconds())));
            Deployed first = Deployed.of(aws, stub, sandbox, eventsDir, Functions.named("custify"), env, instances, null, (m, result, reason) -> {
                if (result == Outcome.DELIVERED) deliveredAt.putIfAbsent(m, System.currentTimeMillis());
                if (result == Outcome.PARKED) parked.put(m, reason);
                if (result == Outcome.RETRIED && "daily_quota".equals(reason)) heldBack.incrementAndGet();
            }, "scale", day);
            out.printf("quota: %d events, %d instances, a daily quota of %d calls, quota days of %d s%n", messages, instances, quota, day.toSeconds());
            publish(first.aws(), first.queues().queueUrl(), 0, messages);
            drain(List.of(first), Duration.ofMillis(dayMillis * (2 + 2L * messages / Math.max(1, quota)) + 60_000), () -> false);
            int dlq = QueuePair.depth(first.aws(), first.queues().dlqUrl());
            int left = QueuePair.depth(first.aws(), first.queues().queueUrl());
            Map<String, String> figures = new java.util.LinkedHashMap<>();
            List<String> days = new ArrayList<>();
            int most = 0;
            synchronized (callsPerDay) {
                for (AtomicInteger n : callsPerDay.values()) {
                    days.add(n.get() + "/" + quota);
                    most = Math.max(most, n.get());
                }
            }
            figures.put("vendor calls per quota day", String.join(", ", days));
            figures.put("the most in one day", String.format(java.util.Locale.ROOT, "%d of %d (%.1f%% of the quota)", most, quota, 100.0 * most / quota));
            figures.put("retries held back by the quota (daily_quota)", String.valueOf(heldBack.get()));
            figures.put("left on the queue", String.valueOf(left));
            return new Line("quota", messages, deliveredAt.size(), parked.size(), messages - deliveredAt.size() - dlq - left,
                    vendor.duplicateWrites(), vendor.calls.get(), vendor.rateLimited.get(), System.currentTimeMillis() - started, figures);
        }
    }

    // ---------------------------------------------------------------------------------------------------- plumbing

    /** Sees each result of a message (or of an event of a batch body): the scenario's tally. */
    interface Settled {
        void on(String messageId, Outcome result, String reason);
    }

    /** A function on its own queue pair, with {@code instances} handlers polling it (Lambda's concurrent instances). */
    record Deployed(String slug, SqsClient aws, QueuePair queues, List<EventSourcePoller> pollers) {
        /** The template's queue (visibility 180 s); maxReceiveCount as {@code overrides}' MAX_RECEIVE_COUNT (else the template's). */
        static Deployed of(MotoServer moto, VendorStub stub, VendorSandbox sandbox, Path eventsDir, Functions.Spec function, Map<String, String> overrides,
                           int instances, Settled settled) throws Exception {
            return of(moto, stub, sandbox, eventsDir, function, overrides, instances, null, (m, result, reason) -> {
                if (result != Outcome.RETRIED) settled.on(m, result, reason);
            }, "scale");
        }

        /**
         * As above with the queue's visibility timeout (null = the template's), every result (retries too) and a name
         * prefix for the stack. The function's environment is the template's ({@link FunctionEnvironment}) with a short
         * deadline margin and request timeout, then {@code overrides}; no batching window (the scenarios measure the drain).
         */
        static Deployed of(MotoServer moto, VendorStub stub, VendorSandbox sandbox, Path eventsDir, Functions.Spec function, Map<String, String> overrides,
                           int instances, Integer visibilitySeconds, Settled everyResult, String prefix) throws Exception {
            return of(moto, stub, sandbox, eventsDir, function, overrides, instances, visibilitySeconds, everyResult, prefix, DailyQuota.DAY);
        }

        /** As above with quota days of {@code quotaDay} (the quota scenario compresses them). */
        static Deployed of(MotoServer moto, VendorStub stub, VendorSandbox sandbox, Path eventsDir, Functions.Spec function, Map<String, String> overrides,
                           int instances, Integer visibilitySeconds, Settled everyResult, String prefix, Duration quotaDay) throws Exception {
            SqsClient sqs = moto.sqs();
            SecretsManagerClient secrets = moto.secrets();
            String slug = function.destination().slug();
            FunctionEnvironment.Overrides o = FunctionEnvironment.Overrides.uniqueStack(prefix).batchingWindow(Duration.ZERO)
                    .env(Map.of("VENDOR_BASE_URL", sandbox.add(function, FunctionEnvironment.settings(eventsDir, function), stub.baseUrl()), "DEADLINE_MARGIN_MS", "1000", "HTTP_REQUEST_TIMEOUT_MS", "2000"))
                    .env(overrides);
            if (overrides.containsKey("MAX_RECEIVE_COUNT")) o = o.maxReceiveCount(Integer.parseInt(overrides.get("MAX_RECEIVE_COUNT")));
            if (visibilitySeconds != null) o = o.visibilityTimeout(visibilitySeconds);
            FunctionEnvironment fn = FunctionEnvironment.create(sqs, secrets, eventsDir, function, o);
            QueuePair q = fn.queues();
            List<EventSourcePoller> pollers = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(fn.env(Map.of()), sqs, secrets,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        (ctx, m, type, result, outcome) -> everyResult.on(m.getMessageId(), result, outcome.reason() == null ? null : outcome.reason().code()),
                        moto::dynamoDb).withQuotaDay(quotaDay)); // DynamoDB: used only when overrides set DEDUP_TABLE
                pollers.add(new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, fn.timeoutSeconds() * 1000L));
            }
            return new Deployed(slug, sqs, q, pollers);
        }
    }

    /** Runs every poller of every function until their queues are empty (and {@code more} says no more will come). */
    static void drain(List<Deployed> functions, Duration atMost, java.util.function.BooleanSupplier more) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (Deployed f : functions) {
            for (EventSourcePoller poller : f.pollers()) {
                threads.add(Thread.ofPlatform().start(() -> {
                    // the queue's depth only when a receive comes back empty: moto_server is single-threaded, and every
                    // extra call of K pollers slows the drain being measured
                    while (System.nanoTime() < deadline) {
                        if (poller.pollOnce(Duration.ZERO).received() > 0) continue;
                        if (!more.getAsBoolean() && QueuePair.depth(f.aws(), f.queues().queueUrl()) == 0) break;
                        sleepMillis(100);
                    }
                }));
            }
        }
        for (Thread t : threads) t.join();
    }

    /** Custify identifies {@code from} to {@code from + count - 1}, ten to a SendMessageBatch. */
    static void publish(SqsClient sqs, String queueUrl, int from, int count) {
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            batch.add(SendMessageBatchRequestEntry.builder().id("e" + batch.size()).messageBody("{\"type\":\"identify\",\"userId\":\"backfill-" + n
                    + "\",\"messageId\":\"backfill-msg-" + n + "\",\"traits\":{\"email\":\"b" + n + "@example.com\",\"plan\":\"pro\"},\"timestamp\":\"2026-11-24T10:00:00Z\"}").build());
            if (batch.size() == 10 || n == from + count - 1) {
                List<SendMessageBatchRequestEntry> entries = List.copyOf(batch);
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                batch.clear();
            }
        }
    }

    /** The vendor's view: every call, every 429 it gave, and writes applied more than once. */
    /** The sandbox behind a vendor that allows {@code limit} calls a second and answers 429 (Retry-After 1) above it. */
    static Counting rateLimited(VendorSandbox sandbox, int limit) {
        VendorLimit vendorLimit = new VendorLimit(limit);
        return new Counting(r -> vendorLimit.take() ? sandbox.answer(r)
                : VendorStub.Reply.json(429, "{\"error\":\"rate limited\"}").withHeader("Retry-After", "1"));
    }

    static final class Counting {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final Map<String, Integer> writes = new ConcurrentHashMap<>();
        private final java.util.function.Function<VendorStub.Recorded, VendorStub.Reply> answer;

        Counting(java.util.function.Function<VendorStub.Recorded, VendorStub.Reply> answer) {
            this.answer = answer;
        }

        VendorStub.Reply answer(VendorStub.Recorded r) {
            calls.incrementAndGet();
            VendorStub.Reply reply = answer.apply(r);
            if (reply.status() == 429) rateLimited.incrementAndGet();
            if (reply.status() / 100 == 2 && !r.method().equals("GET")) writes.merge(r.method() + " " + r.path() + " " + r.body(), 1, Integer::sum);
            return reply;
        }

        int duplicateWrites() {
            return (int) writes.values().stream().filter(n -> n > 1).count();
        }
    }

    /** The vendor's own limit: {@code perSecond} calls in any second (a token bucket with one second of burst). */
    static final class VendorLimit {
        private final double perSecond;
        private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
        private double tokens;

        VendorLimit(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - lastNanos.getAndSet(now)) / 1e9 * perSecond);
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(Math.max(0, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
