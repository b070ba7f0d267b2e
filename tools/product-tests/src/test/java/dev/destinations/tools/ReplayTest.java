package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.local.DlqTool;
import dev.destinations.tools.local.DryRun;
import dev.destinations.tools.local.EventSourcePoller;
import dev.destinations.tools.local.FunctionEnvironment;
import dev.destinations.tools.local.QueuePair;
import dev.destinations.tools.local.Replay;
import dev.destinations.tools.local.VendorSandbox;
import dev.destinations.usercom.UserComHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A day of User.com traffic (scaled down: 24 hours of 10 events, sent at once) through the real handler on real
 * queues with the deduplication table and the archive on the emulator, then the whole day replayed from the archive
 * with bin/replay's code (README "Archive and replay", D54): at the vendor sandbox, no track or page is written twice;
 * identify and group are written again; nothing replayed is archived again.
 */
@Tag(AwsEndpoint.TAG)
class ReplayTest {
    static final Path EVENTS = Path.of("..", "..", "events");
    static MotoServer aws;
    static SqsClient sqs;
    static S3Client s3;
    static DynamoDbClient dynamoDb;
    static VendorStub vendor;
    /** User.com's sandbox on the stub, kept across a test's phases: a replay days later finds the vendor's records as they were. */
    static VendorSandbox sandbox;
    static String vendorBaseUrl;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        Assumptions.assumeTrue(AwsEndpoint.hasDynamoDb(aws.endpoint()), AwsEndpoint.NO_DYNAMODB);
        sqs = aws.sqs();
        s3 = aws.s3();
        dynamoDb = aws.dynamoDb();
        vendor = VendorStub.start();
        sandbox = new VendorSandbox(0, 1);
        try {
            vendorBaseUrl = sandbox.add(Functions.named("user-com"), FunctionEnvironment.settings(EVENTS, Functions.named("user-com")), vendor.baseUrl());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        vendor.respond(sandbox);
    }

    @AfterAll
    static void stop() {
        if (vendor != null) vendor.close();
        aws.close();
    }

    record Stack(FunctionEnvironment fn, EventSourcePoller poller, ByteArrayOutputStream logs, String bucket) {}

    /** Another instance of the same function on the same queue: a replay runs days later, on instances that remember nothing (D24, D34). */
    static Stack freshInstance(Stack s) {
        return instance(s.fn(), s.bucket());
    }

    /** The template's queue, secret and environment, with the deduplication table and the archive bucket on the emulator. */
    static Stack stack() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String table = MotoServer.createDedupTable(dynamoDb, "replay-delivered-" + id);
        String bucket = MotoServer.createArchiveBucket(s3, "replay-archive-" + id);
        FunctionEnvironment fn = FunctionEnvironment.create(sqs, aws.secrets(), EVENTS, Functions.named("user-com"),
                FunctionEnvironment.Overrides.uniqueStack("replay").visibilityTimeout(30).batchingWindow(Duration.ZERO)
                        .env(Map.of("VENDOR_BASE_URL", vendorBaseUrl, "DEDUP_TABLE", table, "ARCHIVE_BUCKET", bucket, "RETRY_BASE_SECONDS", "0")));
        return instance(fn, bucket);
    }

    /** One instance of the function (its own memory and logs), polled the way Lambda's SQS event source does. */
    static Stack instance(FunctionEnvironment fn, String bucket) {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        DestinationHandler handler = new UserComHandler(new DestinationHandler.Wiring(fn.env(), sqs, aws.secrets(),
                new PrintStream(logs, true, StandardCharsets.UTF_8), null, () -> dynamoDb).withS3(() -> s3));
        QueuePair q = fn.queues();
        return new Stack(fn, new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, 30_000), logs, bucket);
    }

    /**
     * Hour h: 2 identify, 4 track, 3 page, 1 group of six users, as nine messages: the last track and page together
     * in one batch body without messageIds (their deduplication key is the SQS id, which the archive keeps).
     */
    static List<String> day() {
        List<String> bodies = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            String ts = String.format("2026-12-05T%02d:30:00Z", h);
            String u1 = "u-" + (h % 6), u2 = "u-" + ((h + 1) % 6);
            String common = ",\"timestamp\":\"" + ts + "\"";
            bodies.add("{\"type\":\"identify\",\"userId\":\"" + u1 + "\",\"messageId\":\"i1-" + h + "\",\"traits\":{\"email\":\"" + u1 + "@example.com\"}" + common + "}");
            bodies.add("{\"type\":\"identify\",\"userId\":\"" + u2 + "\",\"messageId\":\"i2-" + h + "\",\"traits\":{\"email\":\"" + u2 + "@example.com\"}" + common + "}");
            for (int t = 1; t <= 3; t++) bodies.add("{\"type\":\"track\",\"userId\":\"" + (t % 2 == 0 ? u1 : u2) + "\",\"event\":\"Step " + t + "\",\"messageId\":\"t" + t + "-" + h + "\"" + common + "}");
            for (int p = 1; p <= 2; p++) bodies.add("{\"type\":\"page\",\"userId\":\"" + u1 + "\",\"name\":\"Page " + p + "\",\"properties\":{\"url\":\"https://example.com/" + p + "\",\"path\":\"/" + p + "\"},\"messageId\":\"p" + p + "-" + h + "\"" + common + "}");
            bodies.add("{\"batch\":[{\"type\":\"track\",\"userId\":\"" + u2 + "\",\"event\":\"No Id\"" + common + "},{\"type\":\"page\",\"userId\":\"" + u2 + "\",\"name\":\"No Id\",\"properties\":{\"url\":\"https://example.com/n\",\"path\":\"/n\"}" + common + "}]}");
            bodies.add("{\"type\":\"group\",\"userId\":\"" + u1 + "\",\"groupId\":\"acme-" + (h % 3) + "\",\"messageId\":\"g-" + h + "\",\"traits\":{\"name\":\"Acme\"}" + common + "}");
        }
        return bodies;
    }

    /** Forgets the requests so far; the sandbox answers (every lookup finds a record, every write succeeds). */
    static void resetVendor() {
        vendor.reset();
        vendor.respond(sandbox);
    }

    static void send(String queueUrl, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (String b : bodies.subList(from, Math.min(from + 10, bodies.size()))) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + entries.size()).messageBody(b).build());
            }
            sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        }
    }

    static void drain(Stack s) throws InterruptedException {
        for (int i = 0; i < 600 && QueuePair.depth(sqs, s.fn().queues().queueUrl()) > 0; i++) {
            if (s.poller().pollOnce(Duration.ofSeconds(1)).received() == 0) Thread.sleep(100);
        }
        assertThat(QueuePair.depth(sqs, s.fn().queues().queueUrl())).as("the queue drained").isZero();
    }

    static long writes(String method, String pathEnd) {
        return vendor.requests().stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathEnd)).count();
    }

    /** identify's write: POST /users/update_or_create/ by a userId (D32), else PUT /users/<id>/ or POST /users/. */
    static long userWrites() {
        return vendor.requests().stream().filter(r -> (r.method().equals("PUT") || r.method().equals("POST"))
                && r.path().matches(".*/users/(update_or_create/|\\d+/)?")).count();
    }

    static int sum(String logs, String metric) {
        Matcher m = Pattern.compile("\"" + metric + "\":(\\d+)").matcher(logs);
        int total = 0;
        while (m.find()) total += Integer.parseInt(m.group(1));
        return total;
    }

    @Test
    void replayingADay_throughTheDeduplicationStore_writesNoTrackOrPageTwice_andAppliesTheUpsertsAgain() throws Exception {
        Stack s = stack();
        resetVendor();
        Instant start = Instant.now().minusSeconds(1);
        List<String> day = day();
        send(s.fn().queues().queueUrl(), day);
        drain(s);

        long tracks = writes("POST", "/events/"), pages = writes("POST", "/site-views/");
        long identifies = userWrites();
        long members = writes("POST", "/add_member/");
        String live = s.logs().toString(StandardCharsets.UTF_8);
        assertThat(tracks).as("24 h x 4 tracks, each written once").isEqualTo(96);
        assertThat(pages).as("24 h x 3 pages, each written once").isEqualTo(72);
        int archivedEvents = sum(live, "ArchivedEvents");
        assertThat(archivedEvents).as("every event of the day is archived").isEqualTo(240);
        int objects = s3.listObjectsV2(b -> b.bucket(s.bucket())).keyCount();
        assertThat(objects).as("one object per batch, at most 10 messages a batch").isBetween(22, sum(live, "ArchiveWrites"));

        List<Replay.Selected> archived = Replay.fromArchive(s3, s.bucket(), "user-com", start, Instant.now().plusSeconds(1), Replay.filter(""), 100_000);
        assertThat(archived).hasSize(240);
        resetVendor();
        int sent = Replay.send(sqs, s.fn().queues().queueUrl(), archived, "archive");
        Stack later = freshInstance(s);
        drain(later);

        long tracksAgain = writes("POST", "/events/"), pagesAgain = writes("POST", "/site-views/");
        long identifiesAgain = userWrites();
        String after = later.logs().toString(StandardCharsets.UTF_8);
        System.out.printf("replay of a day (24 h x 10 events, User.com): %d events in %d messages delivered (%d track, %d page writes, %d identify, %d group member"
                + " writes), %d archive objects; replayed %d; track/page writes applied twice: %d; identify writes again: %d; skipped as duplicate: %d%n",
                day.size() + 24, day.size(), tracks, pages, identifies, members, objects, sent, tracksAgain + pagesAgain, identifiesAgain,
                countOf(after, "\"reason\":\"duplicate\""));
        assertThat(sent).isEqualTo(240);
        assertThat(tracksAgain + pagesAgain).as("track/page writes applied twice").isZero();
        assertThat(identifiesAgain).as("identify is an upsert: applied again").isEqualTo(identifies);
        assertThat(writes("POST", "/add_member/")).as("group applied again").isEqualTo(members);
        assertThat(countOf(after, "\"reason\":\"duplicate\"")).as("each track and page skipped as duplicate").isEqualTo(168);
        assertThat(sum(after, "Replayed")).as("the function counts the replayed messages").isEqualTo(240);
        assertThat(s3.listObjectsV2(b -> b.bucket(s.bucket())).keyCount()).as("a replay is not archived again").isEqualTo(objects);
    }

    @Test
    void aDryRun_printsWhatTheFunctionWouldSendForTheSelectedEvents_andSendsNothing() throws Exception {
        Stack s = stack();
        Instant start = Instant.now().minusSeconds(1);
        send(s.fn().queues().queueUrl(), day().subList(0, 10));
        drain(s);
        resetVendor();

        List<Replay.Selected> tracks = Replay.fromArchive(s3, s.bucket(), "user-com", start, Instant.now().plusSeconds(1),
                Replay.filter("type=TRACK,event=Step 1,event=Step 3"), 1000);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DryRun.Report report = Replay.dryRun(Functions.named("user-com"), tracks, dev.destinations.mapping.Json.parse("{\"appSubdomain\":\"acme\"}"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(tracks).extracting(t -> dev.destinations.mapping.Json.parse(t.eventJson()).path("event").asText()).containsExactly("Step 1", "Step 3");
        assertThat(report.messages()).hasSize(2).allSatisfy(m -> assertThat(m.result()).isEqualTo(dev.destinations.lambda.Outcome.DELIVERED));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("POST ").contains("/events/").contains("Step 3");
        assertThat(vendor.requests()).as("a dry run sends nothing to the vendor").isEmpty();
        assertThat(QueuePair.depth(sqs, s.fn().queues().queueUrl())).as("nor to the queue").isZero();
    }

    @Test
    void aDlqReplay_ofOneReason_movesThoseEventsBackAsReplays_andLeavesTheOthersParked() throws Exception {
        Stack s = stack();
        vendor.reset();
        vendor.respond(r -> r.method().equals("POST") && r.path().endsWith("/events/") ? VendorStub.Reply.json(403, "{\"detail\":\"bad key\"}")
                : sandbox.answer(r));
        List<String> bodies = List.of(
                "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Denied A\",\"messageId\":\"d-1\"}",
                "{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"Denied B\",\"messageId\":\"d-2\"}",
                "{\"type\":\"track\",\"userId\":\"u-3\",\"messageId\":\"d-3\"}"); // no event name: parked as validation
        send(s.fn().queues().queueUrl(), bodies);
        drain(s);
        resetVendor(); // the key is fixed

        DlqTool.Moved moved = Replay.fromDlq(sqs, s.fn().queues().dlqUrl(), s.fn().queues().queueUrl(), "auth", Replay.filter("type=track"), 100,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String before = s.logs().toString(StandardCharsets.UTF_8);
        drain(s);

        assertThat(moved.moved()).isEqualTo(2);
        assertThat(moved.left()).as("the validation failure stays parked").isEqualTo(1);
        assertThat(writes("POST", "/events/")).as("both denied tracks delivered once").isEqualTo(2);
        String after = s.logs().toString(StandardCharsets.UTF_8).substring(before.length());
        assertThat(sum(after, "Replayed")).isEqualTo(2);
        assertThat(sum(after, "ArchiveWrites")).as("already archived on their first arrival").isZero();
    }

    static long countOf(String text, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(text).results().count();
    }
}
