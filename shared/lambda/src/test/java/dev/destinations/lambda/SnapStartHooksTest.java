package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.TestDestination;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SnapStart hooks, called directly (the runtime interface client does not call org.crac hooks outside Lambda):
 * priming runs the mapping and flows offline, sends nothing and reads no secret; a restore drops connections and
 * makes the next message read the secret again.
 */
class SnapStartHooksTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static final class Handler extends DestinationHandler {
        Handler(Wiring w) {
            super(new TestDestination(), w);
        }
    }

    @Test
    void beforeCheckpoint_primesOffline_afterRestore_readsTheSecretAgain() {
        FixedSecret secret = FixedSecret.of("{\"apiKey\":\"k\"}");
        Handler handler = new Handler(new DestinationHandler.Wiring(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl()), new InMemorySqs(), secret,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));

        handler.beforeCheckpoint(null);
        List<Verdict> primed = handler.prime();

        assertThat(primed).hasSizeGreaterThanOrEqualTo(5);
        assertThat(primed).filteredOn(Verdict::delivered).as("identify and track ran their flow to the (offline) vendor").hasSizeGreaterThanOrEqualTo(2);
        assertThat(stub.requests()).as("priming sends nothing").isEmpty();
        assertThat(secret.reads).as("priming reads no secret").hasValue(0);
        assertThat(SdkPriming.primeSecretsManager()).as("the SDK's request and response path ran, answered in memory")
                .isEqualTo(SdkPriming.PRIMING_SECRET);
        assertThat(SdkPriming.primeDynamoDb()).as("the deduplication store's PutItem path ran too, answered in memory (no table, no endpoint)")
                .isZero();

        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());
        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());
        assertThat(secret.reads).as("cached within the TTL").hasValue(1);

        handler.afterRestore(null);
        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());

        assertThat(secret.reads).as("read again after a restore").hasValue(2);
        assertThat(stub.requests()).hasSize(3).allSatisfy(r -> assertThat(r.header("X-Key")).isEqualTo("k"));
    }

    @Test
    void sqsClient_isBuiltOnFirstParkOrByPriming_neverForADeliveredBatch() {
        java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
        InMemorySqs sqs = new InMemorySqs();
        DeferredSqsClient deferred = new DeferredSqsClient(() -> {
            builds.incrementAndGet();
            return sqs;
        });
        Handler handler = new Handler(new DestinationHandler.Wiring(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl()), deferred, FixedSecret.of("{\"apiKey\":\"k\"}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));

        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());
        assertThat(builds).as("a delivered batch needs no SQS client").hasValue(0);

        handler.handleRequest(SqsEvents.ofBodies("not json"), TestContext.of30Seconds());
        handler.handleRequest(SqsEvents.ofBodies("[1]"), TestContext.of30Seconds());
        assertThat(builds).as("built once, on the first park").hasValue(1);
        assertThat(sqs.sent).as("both invalid messages parked through it").hasSize(2);

        DeferredSqsClient forPriming = new DeferredSqsClient(() -> {
            builds.incrementAndGet();
            return sqs;
        });
        new Handler(new DestinationHandler.Wiring(Map.of("DESTINATION_SETTINGS", "{}"), forPriming, FixedSecret.of("{}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null)).beforeCheckpoint(null);
        assertThat(builds).as("priming builds it, so a SnapStart snapshot holds it").hasValue(2);
    }

    @Test
    void sdkPriming_takesTheSuppressionCheckArchiveWriteAndOffloadedBodyPaths_answeredInMemory() {
        assertThat(SdkPriming.primeSuppressionCheck()).as("the GetItem's answer (a suppression without expiry) was parsed by the real check")
                .isTrue();
        assertThat(SdkPriming.primeArchive("probe")).as("EventArchive's write (gzip, PutObject) reported one event written").isEqualTo(1);
        assertThat(SdkPriming.primeOffloadedBody()).as("S3Payloads read the body through GetObject, then deleted it")
                .isEqualTo(SdkPriming.PRIMING_BODY);
    }

    @Test
    void priming_withSuppressionArchiveAndOffloadedBodies_buildsTheClientsEveryBatchUses_callsNothing() {
        java.util.concurrent.atomic.AtomicInteger dynamoDbBuilds = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger s3Builds = new java.util.concurrent.atomic.AtomicInteger();
        FixedSecret secret = FixedSecret.of("{\"apiKey\":\"k\"}");
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", stub.baseUrl(), "SUPPRESSION_TABLE", "erasure", "ERASURE_KEY_SECRET_ID", "arn:erasure",
                "ARCHIVE_BUCKET", "archive-bucket", "PAYLOAD_BUCKET", "payload-bucket");
        Handler handler = countingClientBuilds(env, secret, dynamoDbBuilds, s3Builds);
        assertThat(dynamoDbBuilds).as("no client at cold start").hasValue(0);
        assertThat(s3Builds).as("no client at cold start").hasValue(0);

        handler.beforeCheckpoint(null);

        assertThat(dynamoDbBuilds).as("every event is checked for suppression: the snapshot holds the stores' client").hasValue(1);
        assertThat(s3Builds).as("every batch is archived: the snapshot holds the S3 client").hasValue(1);
        assertThat(secret.reads).as("neither the API key nor the erasure key is read").hasValue(0);
        assertThat(stub.requests()).as("priming sends nothing").isEmpty();

        handler.handleRequest(SqsEvents.ofBodies("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"payload-bucket\","
                + "\"s3Key\":\"k\"}]"), TestContext.of30Seconds());
        assertThat(s3Builds).as("the offloaded body is read with the archive's client: one S3 client per instance").hasValue(1);
    }

    @Test
    void priming_withTheFeaturesOff_buildsNoDynamoDbOrS3Client() {
        java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
        Handler handler = countingClientBuilds(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL",
                "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl()), FixedSecret.of("{\"apiKey\":\"k\"}"), builds, builds);

        handler.beforeCheckpoint(null);
        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());

        assertThat(builds).as("no suppression, deduplication, archive or offloaded body: no client").hasValue(0);
    }

    /** A handler whose DynamoDB and S3 clients count their builds and fail to connect on any call. */
    private static Handler countingClientBuilds(Map<String, String> env, FixedSecret secret, java.util.concurrent.atomic.AtomicInteger dynamoDbBuilds,
                                                java.util.concurrent.atomic.AtomicInteger s3Builds) {
        return new Handler(new DestinationHandler.Wiring(env, new InMemorySqs(), secret,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null, () -> {
                    dynamoDbBuilds.incrementAndGet();
                    return StoreClients.unreachable();
                }).withS3(() -> {
                    s3Builds.incrementAndGet();
                    return unreachableS3();
                }));
    }

    /** An S3 client whose every call fails to connect, at once (no retry). */
    private static software.amazon.awssdk.services.s3.S3Client unreachableS3() {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:1"))
                .forcePathStyle(true).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
