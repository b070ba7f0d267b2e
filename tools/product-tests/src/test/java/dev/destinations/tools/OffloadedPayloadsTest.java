package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClient;
import com.amazon.sqs.javamessaging.ExtendedClientConfiguration;
import dev.destinations.custify.CustifyHandler;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.local.EventSourcePoller;
import dev.destinations.tools.local.FunctionEnvironment;
import dev.destinations.tools.local.QueuePair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Bodies of any size (D59), through real queues (moto_server, or LocalStack in bin/test's second pass): a 900 KiB
 * batch body inline on the template's 1 MiB queue, and bodies that AWS's own SQS extended client library (2.x) offloads
 * to S3 and replaces by its pointer: fetched, delivered as if inline, the object deleted once the message settled, kept
 * while it is retried or when the pointer itself is parked; a missing object, a body over the limit and a pointer into
 * another bucket parked with their reasons.
 */
@Tag(AwsEndpoint.TAG)
class OffloadedPayloadsTest {
    static final Path EVENTS = Path.of("..", "..", "events");
    static MotoServer aws;
    static SqsClient sqs;
    static S3Client s3;
    static VendorStub vendor;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        sqs = aws.sqs();
        s3 = S3Client.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        vendor = VendorStub.start();
    }

    @AfterAll
    static void stop() {
        vendor.close();
        aws.close();
    }

    record Stack(FunctionEnvironment fn, String bucket, EventSourcePoller poller, ByteArrayOutputStream logs) {
        /**
         * The producer: AWS's extended client, offloading every body over {@code threshold} bytes to the bucket, its size in
         * the message attribute ExtendedPayloadSize (the library's default still writes the legacy SQSLargePayloadSize).
         */
        SqsClient producer(int threshold) {
            return new AmazonSQSExtendedClient(sqs, new ExtendedClientConfiguration().withPayloadSupportEnabled(s3, bucket)
                    .withPayloadSizeThreshold(threshold).withLegacyReservedAttributeNameDisabled());
        }

        void drain() throws InterruptedException {
            for (int i = 0; i < 60 && QueuePair.depth(sqs, fn.queueUrl()) > 0; i++) {
                if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) Thread.sleep(100);
            }
        }

        List<String> objects() {
            return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        }

        List<Message> dlq() {
            return sqs.receiveMessage(b -> b.queueUrl(fn.dlqUrl()).maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages();
        }
    }

    static Stack stack(Map<String, String> env) throws Exception {
        String bucket = "payloads-" + Long.toHexString(System.nanoTime());
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> all = new HashMap<>(Map.of("VENDOR_BASE_URL", vendor.baseUrl(), "RETRY_BASE_SECONDS", "0", "PAYLOAD_BUCKET", bucket));
        all.putAll(env);
        FunctionEnvironment fn = FunctionEnvironment.create(sqs, aws.secrets(), EVENTS, Functions.named("custify"),
                FunctionEnvironment.Overrides.uniqueStack("payloads").visibilityTimeout(30).batchingWindow(Duration.ZERO).maxReceiveCount(5).env(all));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        DestinationHandler handler = new CustifyHandler(new DestinationHandler.Wiring(fn.env(Map.of()), sqs, aws.secrets(),
                new PrintStream(logs, true, StandardCharsets.UTF_8), null).withS3(() -> s3));
        return new Stack(fn, bucket, new EventSourcePoller(sqs, fn.queueUrl(), fn.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, 30_000), logs);
    }

    /** A {"batch": [...]} body of {@code events} identifies, each with a trait of {@code padding} characters. */
    static String batchBody(String prefix, int events, int padding) {
        StringJoiner batch = new StringJoiner(",", "{\"batch\":[", "]}");
        String pad = "x".repeat(padding);
        for (int n = 0; n < events; n++) {
            batch.add("{\"type\":\"identify\",\"userId\":\"" + prefix + "-" + n + "\",\"messageId\":\"" + prefix + "-m" + n
                    + "\",\"traits\":{\"email\":\"" + prefix + n + "@example.com\",\"notes\":\"" + pad + "\"}}");
        }
        return batch.toString();
    }

    static List<String> usersWritten(String prefix) {
        return vendor.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/people") && r.body().contains("\"" + prefix + "-"))
                .map(r -> r.body().replaceAll("(?s).*\"user_id\":\"(" + prefix + "-\\d+)\".*", "$1")).distinct().toList();
    }

    @Test
    void a900KiBBatchBody_fitsTheTemplatesQueue_andEveryEventIsDelivered() throws Exception {
        Stack s = stack(Map.of());
        vendor.reset();
        String body = batchBody("inline", 90, 10_400);
        assertThat(body.length()).isBetween(900 * 1024, 1024 * 1024);

        sqs.sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(body)); // over SQS's 256 KiB default: the template's 1 MiB

        s.drain();
        assertThat(usersWritten("inline")).hasSize(90);
        assertThat(s.dlq()).isEmpty();
        assertThat(QueuePair.depth(sqs, s.fn().queueUrl())).isZero();
    }

    @Test
    void a5MiBBodyOffloadedByTheExtendedClient_isDeliveredAsIfInline_andItsObjectDeletedOnceSettled() throws Exception {
        Stack s = stack(Map.of());
        vendor.reset();
        String body = batchBody("offloaded", 100, 53_000);
        assertThat(body.length()).isGreaterThan(5 * 1024 * 1024);

        s.producer(262_144).sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(body));
        Message raw = sqs.receiveMessage(b -> b.queueUrl(s.fn().queueUrl()).messageAttributeNames("All").visibilityTimeout(0)).messages().get(0);
        assertThat(raw.body()).startsWith("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"" + s.bucket() + "\"");
        assertThat(raw.messageAttributes().get("ExtendedPayloadSize").stringValue()).isEqualTo(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        assertThat(s.objects()).hasSize(1);

        s.drain();
        assertThat(usersWritten("offloaded")).hasSize(100);
        assertThat(s.dlq()).isEmpty();
        assertThat(s.objects()).as("deleted once the message settled").isEmpty();
    }

    @Test
    void anOffloadedBodyWhileTheVendorFails_isRetried_andItsObjectStays_untilItIsDelivered() throws Exception {
        Stack s = stack(Map.of());
        vendor.reset();
        vendor.respond(r -> VendorStub.Reply.json(503, "{\"error\":\"down\"}"));
        s.producer(1024).sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(batchBody("retried", 1, 2_000)));

        s.poller().pollOnce(Duration.ofSeconds(2));
        assertThat(s.objects()).as("retried: the pointer goes round again, so must its object").hasSize(1);

        vendor.reset();
        s.drain();
        assertThat(usersWritten("retried")).hasSize(1);
        assertThat(s.objects()).isEmpty();
    }

    @Test
    void aMissingObject_aBodyOverTheLimit_andAnotherBucket_areParkedWithTheirReasons_neverRetried() throws Exception {
        Stack s = stack(Map.of("PAYLOAD_MAX_BYTES", "4096"));
        vendor.reset();
        SqsClient producer = s.producer(1024);
        producer.sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(batchBody("missing", 1, 2_000)));
        String missingKey = s.objects().get(0);
        s3.deleteObject(b -> b.bucket(s.bucket()).key(missingKey));
        producer.sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(batchBody("large", 1, 8_000)));
        String otherBucket = "other-" + Long.toHexString(System.nanoTime());
        sqs.sendMessage(b -> b.queueUrl(s.fn().queueUrl()).messageBody(
                "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"" + otherBucket + "\",\"s3Key\":\"k\"}]"));

        s.drain();
        List<Message> parked = s.dlq();
        Map<String, Message> byReason = new HashMap<>();
        parked.forEach(m -> byReason.put(m.messageAttributes().get("reason").stringValue(), m));
        assertThat(byReason).containsOnlyKeys("payload_missing", "payload_too_large", "payload_not_allowed");
        assertThat(byReason.get("payload_too_large").messageAttributes().get("detail").stringValue())
                .matches("the offloaded body is \\d{4,5} bytes, over PAYLOAD_MAX_BYTES \\(4096\\); not fetched");
        assertThat(byReason.get("payload_not_allowed").messageAttributes().get("detail").stringValue()).contains(otherBucket);
        assertThat(parked).allSatisfy(m -> {
            assertThat(m.body()).as("the pointer itself is parked").startsWith("[\"software.amazon.payloadoffloading.PayloadS3Pointer\"");
            assertThat(m.messageAttributes().get("receive_count").stringValue()).as("parked on the first receive").isEqualTo("1");
        });
        assertThat(s.objects()).as("the too-large body's object stays: the DLQ's pointer needs it").hasSize(1);
        assertThat(vendor.requests()).isEmpty();
    }
}
