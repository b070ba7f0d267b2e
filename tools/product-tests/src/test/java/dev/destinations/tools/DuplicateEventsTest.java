package dev.destinations.tools;

import dev.destinations.custify.CustifySandbox;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.custify.CustifyHandler;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.DynamoDbDeliveredEvents;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The Custify handler with the deduplication table on the emulator: a redelivered track is not written twice; a store outage delivers. */
@Tag(AwsEndpoint.TAG)
class DuplicateEventsTest {
    static MotoServer aws;
    static DynamoDbClient dynamoDb;
    static String table;
    static VendorStub vendor;
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        org.junit.jupiter.api.Assumptions.assumeTrue(AwsEndpoint.hasDynamoDb(aws.endpoint()), AwsEndpoint.NO_DYNAMODB);
        dynamoDb = aws.dynamoDb();
        table = MotoServer.createDedupTable(dynamoDb, "delivered-" + UUID.randomUUID().toString().substring(0, 8));
        vendor = VendorStub.start();
    }

    @AfterAll
    static void stop() {
        if (vendor != null) vendor.close(); // null when the emulator has no DynamoDB (skipped)
        aws.close();
    }

    static final CustifySandbox custify = new CustifySandbox("");

    @BeforeEach
    void reset() {
        vendor.reset();
        custify.reset();
        vendor.respond(custify);
    }

    DestinationHandler custify(DynamoDbClient client) {
        return custify(client, "{}");
    }

    DestinationHandler custify(DynamoDbClient client, String settings) {
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", settings, "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", vendor.baseUrl(), "DEDUP_TABLE", table);
        return new CustifyHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("ck-key"),
                new PrintStream(logs, true, StandardCharsets.UTF_8), null, () -> client));
    }

    static String track(String messageId) {
        return "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Order Completed\",\"timestamp\":\"2026-11-30T10:00:00Z\",\"messageId\":\"" + messageId + "\"}";
    }

    @Test
    void anSqsRedeliveryOfADeliveredTrack_makesNoSecondVendorWrite() {
        DestinationHandler handler = custify(dynamoDb);
        String body = track("m-" + UUID.randomUUID());
        String identify = "{\"type\":\"identify\",\"userId\":\"u-1\",\"messageId\":\"i-" + UUID.randomUUID() + "\"}";
        handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", body, 1), SqsEvents.message("sqs-2", identify, 1)), TestContext.of30Seconds());
        // the invocation's response was lost: SQS delivers both again
        SQSBatchResponse again = handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", body, 2), SqsEvents.message("sqs-2", identify, 2)),
                TestContext.of30Seconds());

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(vendor.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactlyInAnyOrder("POST /event", "POST /people", "POST /people"); // identify is an upsert: not deduplicated
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"skipped\",\"reason\":\"duplicate\"")
                .contains("\"Outcome\":\"skipped\",\"Reason\":\"duplicate\"");
    }

    /** D26: Custify's own deduplication is unverified, so with enableDeduplication on the store still stops the repeat. */
    @Test
    void withEnableDeduplication_aRedeliveredTrackIsStillWrittenOnce_andCarriesItsDeduplicationId() {
        DestinationHandler handler = custify(dynamoDb, "{\"enableDeduplication\":true}");
        String messageId = "m-" + UUID.randomUUID();
        handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", track(messageId), 1)), TestContext.of30Seconds());
        SQSBatchResponse again = handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", track(messageId), 2)), TestContext.of30Seconds());

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(custify.events()).singleElement().satisfies(e -> assertThat(e.path("deduplication_id").asText()).isEqualTo(messageId));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"skipped\",\"reason\":\"duplicate\"");
    }

    @Test
    void coldStartAndSnapStartPriming_neverBuildTheDynamoDbClient() {
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", vendor.baseUrl(), "DEDUP_TABLE", table);
        DestinationHandler handler = new CustifyHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("ck-key"),
                new PrintStream(logs, true, StandardCharsets.UTF_8), null, () -> {
                    built.incrementAndGet();
                    return dynamoDb;
                }));
        assertThat(handler.prime()).as("the priming events ran, a track among them").isNotEmpty();
        String identify = "{\"type\":\"identify\",\"userId\":\"u-2\",\"messageId\":\"i-" + UUID.randomUUID() + "\"}";
        handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-9", identify, 1)), TestContext.of30Seconds());
        assertThat(built).as("a batch of identifies never needs the store").hasValue(0);

        handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-10", track("m-" + UUID.randomUUID()), 1)), TestContext.of30Seconds());
        assertThat(built).as("built once, on the first track").hasValue(1);
    }

    @Test
    void aStoreOutage_stillDelivers_withALogLineAndAMetric() {
        DynamoDbClient unreachable = DynamoDbDeliveredEvents.configure(DynamoDbClient.builder()).endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t"))).build();
        DestinationHandler handler = custify(unreachable);
        String body = track("m-" + UUID.randomUUID());
        SQSBatchResponse response = handler.handleRequest(SqsEvents.of(SqsEvents.message("sqs-1", body, 1)), TestContext.of30Seconds());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(vendor.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly("POST /event");
        String out = logs.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("deduplication store unavailable, delivering without it (claim: ").contains("\"DedupUnavailable\":1")
                .contains("\"outcome\":\"delivered\"").doesNotContain(body.substring(body.indexOf("m-")));
    }
}
