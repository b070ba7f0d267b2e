package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.custify.CustifyHandler;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.EventArchive;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The Custify handler with the archive bucket on the emulator (README "Archive and replay", D53). */
@Tag(AwsEndpoint.TAG)
class EventArchiveTest {
    static final String API_KEY = "ck-archive-secret-7f3a";
    static MotoServer aws;
    static S3Client s3;
    static VendorStub vendor;
    String bucket;
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        s3 = aws.s3();
        vendor = VendorStub.start();
    }

    @AfterAll
    static void stop() {
        vendor.close();
        aws.close();
    }

    @BeforeEach
    void fresh() {
        vendor.reset();
        bucket = MotoServer.createArchiveBucket(s3, "archive-" + UUID.randomUUID().toString().substring(0, 8));
    }

    DestinationHandler custify(String archiveBucket, Supplier<S3Client> client) {
        Map<String, String> env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{\"sendAnonymousId\":true,\"deduplicationField\":\"messageId\"}",
                "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", vendor.baseUrl()));
        if (archiveBucket != null) env.put("ARCHIVE_BUCKET", archiveBucket);
        return new CustifyHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("{\"apiKey\":\"" + API_KEY + "\"}"),
                new PrintStream(logs, true, StandardCharsets.UTF_8), null, null).withS3(client));
    }

    static String identify(String messageId) {
        return "{\"type\":\"identify\",\"userId\":\"u-1\",\"messageId\":\"" + messageId + "\",\"traits\":{\"email\":\"ada@example.com\"}}";
    }

    static String track(String messageId) {
        return "{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"Order Completed\",\"messageId\":\"" + messageId + "\"}";
    }

    List<S3Object> objects() {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents();
    }

    List<JsonNode> lines(String key) throws IOException {
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) out.add(Json.parse(line));
        return out;
    }

    @Test
    void aBatch_isOneEncryptedGzipObject_underItsDestinationAndHour_withEveryEventAsRead() throws IOException {
        Instant before = Instant.now();
        SQSEvent batch = SqsEvents.of(
                SqsEvents.message("sqs-1", identify("i-1"), 1),
                SqsEvents.message("sqs-2", SqsEvents.snsNotification(track("t-1")), 1),
                SqsEvents.message("sqs-3", "{\"batch\":[" + track("t-2") + ",{\"type\":\"track\",\"userId\":\"u-3\",\"event\":\"No Id\"}],\"sentAt\":\"2026-12-06T10:00:00Z\"}", 1),
                SqsEvents.message("sqs-4", "not json", 1));
        SQSBatchResponse response = custify(bucket, s3Client()).handleRequest(batch, TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<S3Object> objects = objects();
        assertThat(objects).as("one PutObject for the whole batch").hasSize(1);
        String key = objects.get(0).key();
        String hour = EventArchive.hourPrefix("custify", before);
        assertThat(key).matches("custify/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/\\d{8}T\\d{6}\\.\\d{3}Z-[A-Za-z0-9-]+\\.jsonl\\.gz")
                .satisfiesAnyOf(k -> assertThat(k).startsWith(hour), k -> assertThat(k).startsWith(EventArchive.hourPrefix("custify", Instant.now())));
        assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

        List<JsonNode> lines = lines(key);
        assertThat(lines).extracting(l -> l.path("message_id").asText()).as("the body that is no event is not archived (it is in the DLQ)")
                .containsExactly("sqs-1", "sqs-2", "sqs-3#1", "sqs-3#2");
        assertThat(lines.get(1).path("event").path("messageId").asText()).as("the SNS envelope is unwrapped").isEqualTo("t-1");
        assertThat(lines.get(3).path("event").path("sentAt").asText()).as("a batch event as the function read it").isEqualTo("2026-12-06T10:00:00Z");
        assertThat(lines.get(0).path("event").path("traits").path("email").asText()).isEqualTo("ada@example.com");
        assertThat(Instant.parse(lines.get(0).path("archived_at").asText())).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"ArchiveWrites\":1").contains("\"ArchivedEvents\":4");
    }

    @Test
    void theArchive_neverHoldsTheApiKeyOrTheSettings() throws IOException {
        custify(bucket, s3Client()).handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", identify("i-1"), 1),
                SqsEvents.message("sqs-2", track("t-1"), 1)), TestContext.of30Seconds());

        assertThat(vendor.requests()).as("the key was used for the vendor calls")
                .allSatisfy(r -> assertThat(String.valueOf(r.headers())).contains(API_KEY));
        String archived = lines(objects().get(0).key()).toString();
        assertThat(archived).contains("Order Completed").doesNotContain(API_KEY).doesNotContain("apiKey")
                .doesNotContain("sendAnonymousId").doesNotContain("deduplicationField");
    }

    @Test
    void redeliveries_requeuedBatchEvents_andReplays_areNotArchivedAgain_andReplaysAreCounted() {
        SQSEvent.SQSMessage redelivered = SqsEvents.message("sqs-1", identify("i-1"), 2);
        SQSEvent.SQSMessage requeued = SqsEvents.message("sqs-2", track("t-1"), 1);
        requeued.setMessageAttributes(Map.of("requeued_receive_count", attribute("1")));
        SQSEvent.SQSMessage replayed = SqsEvents.message("sqs-3", track("t-2"), 1);
        replayed.setMessageAttributes(Map.of("replay", attribute("archive")));
        SQSBatchResponse response = custify(bucket, s3Client()).handleRequest(SqsEvents.of(redelivered, requeued, replayed), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(objects()).as("each event is archived on its first arrival only").isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"Replayed\":1").doesNotContain("ArchiveWrites");
    }

    @Test
    void aFailedWrite_neverFailsDelivery_andRaisesTheMetricWithTheErrorCodeOnly() {
        SQSBatchResponse response = custify("no-such-archive-bucket", s3Client())
                .handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", identify("i-1"), 1)), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(vendor.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly("POST /people");
        String out = logs.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("archive write failed, the batch is delivered without it (NoSuchBucket)").contains("\"ArchiveFailures\":1")
                .contains("\"outcome\":\"delivered\"").doesNotContain("ada@example.com");
    }

    @Test
    void withoutABucket_nothingIsWritten_andNoClientIsBuilt_whilePrimingBuildsItWithoutACall() {
        AtomicInteger built = new AtomicInteger();
        Supplier<S3Client> counting = () -> {
            built.incrementAndGet();
            return s3;
        };
        custify(null, counting).handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", identify("i-1"), 1)), TestContext.of30Seconds());
        assertThat(built).as("ArchiveDays 0: no ARCHIVE_BUCKET, no client").hasValue(0);

        DestinationHandler on = custify(bucket, counting);
        on.prime();
        assertThat(built).as("SnapStart priming builds the archive's client, so the snapshot holds it").hasValue(1);
        assertThat(objects()).as("priming writes nothing").isEmpty();
        on.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", identify("i-1"), 1)), TestContext.of30Seconds());
        assertThat(built).hasValue(1);
        assertThat(objects()).hasSize(1);
    }

    static Supplier<S3Client> s3Client() {
        return () -> s3;
    }

    static SQSEvent.MessageAttribute attribute(String value) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType("String");
        a.setStringValue(value);
        return a;
    }
}
