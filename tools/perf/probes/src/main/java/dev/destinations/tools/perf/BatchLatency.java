package dev.destinations.tools.perf;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.tools.local.SamTemplate;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.MotoServer;
import software.amazon.awssdk.services.s3.S3Client;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/batch-latency}: per function, a batch of 10 messages of 10 users against a vendor stub that answers
 * after 100 ms, beside one message alone (one call), median of several runs; then 10 messages of one user, checking
 * they reached the vendor in order. Then one body of 10 events (D19, a {@code {"batch": [...]}} body) beside the same
 * 10 events as 10 messages of one SQS batch: vendor calls and time. Last, the archive's share (README "Archive and
 * replay"): the batch of 10 messages of 10 users with ArchiveDays 0 and with the archive bucket on moto_server, and
 * the PutObjects and bytes it wrote. A benchmark: it reports, it asserts nothing about time.
 */
public final class BatchLatency {
    private BatchLatency() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("| function | one message ms (vendor calls) | 10 messages, 10 users ms | ratio | 10 messages of one user in order |");
        System.out.println("|---|---|---|---|---|");
        List<String> bodyRows = new ArrayList<>();
        List<String> archiveRows = new ArrayList<>();
        try (VendorStub stub = VendorStub.start(); MotoServer moto = MotoServer.start(); S3Client s3 = moto.s3()) {
            VendorStub.Responder slowVendor = r -> VendorStub.Reply.json(200, r.method().equals("GET")
                    ? "{\"id\":1,\"user_key\":\"k1\",\"custom_id\":\"c1\"}" : "{}").after(Duration.ofMillis(100));
            stub.respond(slowVendor);
            for (Functions.Spec f : Functions.ALL) {
                Map<String, String> env = SamTemplate.envVars(Path.of("events", f.destination().slug(), "env.json"), f.logicalId());
                env.put("API_KEY_SECRET_ID", "arn:s");
                env.put("DLQ_URL", "https://sqs.local/1/dlq");
                env.put("VENDOR_BASE_URL", stub.baseUrl());
                env.put("DELIVERY_CONCURRENCY", "10");
                DestinationHandler handler = f.handler().apply(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"k\"}"),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));
                String type = "track"; // one call for most vendors; a user lookup first, then the event, for User.com
                long[] single = new long[runs];
                long[] batch = new long[runs];
                int calls = 0; // counted, not known per destination: the vendor calls of one message
                for (int run = 0; run < runs; run++) {
                    int before = stub.requests().size();
                    single[run] = time(handler, List.of(event(type, "solo-" + run, 0)));
                    if (run == 0) calls = stub.requests().size() - before;
                    List<String> bodies = new ArrayList<>();
                    for (int u = 0; u < 10; u++) bodies.add(event(type, "user-" + run + "-" + u, 0));
                    batch[run] = time(handler, bodies);
                }
                stub.reset();
                stub.respond(slowVendor);
                List<String> ordered = new ArrayList<>();
                for (int i = 0; i < 10; i++) ordered.add(event("track", "one-user", i));
                time(handler, ordered);
                List<Integer> seen = stub.requests().stream().filter(r -> !r.method().equals("GET"))
                        .map(r -> r.body().replaceAll(".*seq-(\\d+).*", "$1")).map(Integer::valueOf).toList();
                boolean inOrder = seen.equals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
                long s = median(single);
                long b = median(batch);
                System.out.printf("| %s | %d (%d) | %d | %.2f | %s |%n", f.logicalId(), s, calls, b, (double) b / s, inOrder ? "yes" : "NO: " + seen);
                bodyRows.add(bodyVersusMessages(f, handler, stub, runs));
                archiveRows.add(archiveShare(f, env, stub, s3, Math.max(runs, 15)));
            }
        }
        System.out.println();
        System.out.println("| function | 10 events as 10 messages: vendor calls, ms | the 10 events as one batch body: vendor calls, ms |");
        System.out.println("|---|---|---|");
        bodyRows.forEach(System.out::println);
        System.out.println();
        System.out.println("| function | 10 messages, 10 users, ArchiveDays 0: ms | archive on (moto_server S3): ms | added ms | added | PutObjects per batch | object bytes per event |");
        System.out.println("|---|---|---|---|---|---|---|");
        archiveRows.forEach(System.out::println);
    }

    /**
     * The batch of 10 messages of 10 users (100 ms vendor), alternately without and with the archive, after one warm-up
     * batch each; medians of {@code runs}. The archive's PutObject runs beside the deliveries (EventArchive).
     */
    static String archiveShare(Functions.Spec f, Map<String, String> env, VendorStub stub, S3Client s3, int runs) {
        String bucket = MotoServer.createArchiveBucket(s3, "batch-latency-" + f.destination().slug());
        Map<String, String> archived = new java.util.HashMap<>(env);
        archived.put("ARCHIVE_BUCKET", bucket);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        DestinationHandler off = f.handler().apply(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"k\"}"), quiet, null));
        DestinationHandler on = f.handler().apply(new DestinationHandler.Wiring(archived, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"k\"}"), quiet, null,
                null).withS3(() -> s3));
        long[] without = new long[runs];
        long[] with = new long[runs];
        for (int run = -1; run < runs; run++) { // run -1 warms both up (the S3 client is built on the first write)
            List<String> bodies = new ArrayList<>();
            for (int u = 0; u < 10; u++) bodies.add(event("track", "archive-" + run + "-" + u, 0));
            long a = nanos(off, bodies);
            long b = nanos(on, bodies);
            if (run >= 0) {
                without[run] = a;
                with[run] = b;
            }
        }
        var objects = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
        long bytes = objects.stream().mapToLong(o -> o.size()).sum();
        double offMs = median(without) / 1e6, onMs = median(with) / 1e6;
        return String.format("| %s | %.1f | %.1f | %.1f | %.1f%% | %.2f | %d |", f.logicalId(), offMs, onMs, onMs - offMs, 100 * (onMs - offMs) / offMs,
                objects.size() / (double) (runs + 1), bytes / (10L * (runs + 1)));
    }

    private static long nanos(DestinationHandler handler, List<String> bodies) {
        long start = System.nanoTime();
        SQSBatchResponse r = handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());
        if (r == null || !r.getBatchItemFailures().isEmpty()) throw new IllegalStateException("the batch was not delivered");
        return System.nanoTime() - start;
    }

    /** 10 events of 3 users (identify, then tracks), as 10 messages of one SQS batch and as one batch body. */
    static String bodyVersusMessages(Functions.Spec f, DestinationHandler handler, VendorStub stub, int runs) {
        long[] messages = new long[runs];
        long[] body = new long[runs];
        int messageCalls = 0;
        int bodyCalls = 0;
        for (int run = 0; run < runs; run++) {
            int before = stub.requests().size();
            messages[run] = time(handler, mixedEvents("messages-" + run));
            messageCalls = stub.requests().size() - before;
            before = stub.requests().size();
            // other users than the messages': the instance remembers the users it met (D24), the body must not find them
            body[run] = time(handler, List.of("{\"batch\":[" + String.join(",", mixedEvents("body-" + run)) + "]}"));
            bodyCalls = stub.requests().size() - before;
        }
        return String.format("| %s | %d, %d | %d, %d |", f.logicalId(), messageCalls, median(messages), bodyCalls, median(body));
    }

    /** 10 events of 3 users whose ids start with {@code users}: 3 identify, then 7 track. */
    private static List<String> mixedEvents(String users) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) events.add(event(i < 3 ? "identify" : "track", users + "-" + (i % 3), i));
        return events;
    }

    /** A track event of one user, numbered so the order of arrival at the vendor can be read back. */
    static String event(String type, String user, int seq) {
        return "{\"type\":\"" + type + "\",\"userId\":\"" + user + "\",\"event\":\"E seq-" + seq + "\",\"messageId\":\"seq-" + seq
                + "\",\"properties\":{\"n\":\"seq-" + seq + "\"},\"context\":{\"page\":{\"url\":\"https://x.example/p\",\"path\":\"/p\"}},"
                + "\"timestamp\":\"2026-01-01T00:00:00Z\"}";
    }

    private static long time(DestinationHandler handler, List<String> bodies) {
        long start = System.nanoTime();
        SQSBatchResponse r = handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r == null) throw new IllegalStateException("no response");
        return ms;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
