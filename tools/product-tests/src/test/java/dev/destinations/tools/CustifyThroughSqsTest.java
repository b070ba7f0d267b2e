package dev.destinations.tools;

import dev.destinations.custify.CustifySandbox;
import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.custify.CustifyHandler;
import dev.destinations.lambda.DestinationHandler;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The Custify function on real SQS semantics (moto_server, or AWS_ENDPOINT_URL): a queue with a redrive policy, a
 * DLQ, a real secret, a vendor stub, and Lambda's event source mapping reproduced by {@link EventSourcePoller}.
 * Every message ends delivered or in the DLQ with its reason; nothing is lost.
 */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class CustifyThroughSqsTest {
    static MotoServer aws;
    static SqsClient sqs;
    static SecretsManagerClient secrets;
    static VendorStub vendor;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        sqs = aws.sqs();
        secrets = aws.secrets();
        vendor = VendorStub.start();
    }

    /** Custify's sandbox answers; a test that programs faults checks its requests against the contract all the same. */
    static final CustifySandbox custify = new CustifySandbox("");

    @org.junit.jupiter.api.BeforeEach
    void sandbox() {
        vendor.reset();
        custify.reset();
        vendor.respond(custify);
    }

    @AfterAll
    static void stop() {
        vendor.close();
        aws.close();
    }

    static final Path EVENTS = Path.of("..", "..", "events");

    private record Stack(QueuePair queues, String secretArn, DestinationHandler handler, EventSourcePoller poller, ByteArrayOutputStream logs) {}

    private Stack stack(int maxReceiveCount, String secretValue, String dlqUrlOverride) {
        // the template's queue, secret and environment; a stack of the test's own, the test's receives and secret,
        // retried messages back at once so the test runs in seconds
        FunctionEnvironment.Overrides o = FunctionEnvironment.Overrides.uniqueStack("custify-it").maxReceiveCount(maxReceiveCount)
                .visibilityTimeout(30).batchingWindow(Duration.ZERO).secretValue(secretValue)
                .env(Map.of("DESTINATION_SETTINGS", "{\"sendAnonymousId\":true}", "VENDOR_BASE_URL", vendor.baseUrl(), "RETRY_BASE_SECONDS", "0"));
        if (dlqUrlOverride != null) o = o.env("DLQ_URL", dlqUrlOverride);
        FunctionEnvironment fn;
        try {
            fn = FunctionEnvironment.create(sqs, secrets, EVENTS, Functions.named("custify"), o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        QueuePair q = fn.queues();
        String secretArn = fn.secretArn();
        Map<String, String> env = fn.env();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        DestinationHandler handler = new CustifyHandler(new DestinationHandler.Wiring(env, sqs, secrets,
                new PrintStream(logs, true, StandardCharsets.UTF_8), null));
        return new Stack(q, secretArn, handler, new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, 30_000), logs);
    }

    private static void send(Stack s, String body) {
        sqs.sendMessage(b -> b.queueUrl(s.queues().queueUrl()).messageBody(body));
    }

    /** Polls until the queue is empty (visible and in flight), bounded. */
    private static void drain(Stack s) throws InterruptedException {
        for (int i = 0; i < 60 && QueuePair.depth(sqs, s.queues().queueUrl()) > 0; i++) {
            if (s.poller().pollOnce(Duration.ofSeconds(1)).received() == 0) Thread.sleep(100);
        }
    }

    private static List<Message> dlq(Stack s) {
        return sqs.receiveMessage(b -> b.queueUrl(s.queues().dlqUrl()).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Test
    void batch_mixedOutcomes_everyMessageDeliveredOrParkedWithItsReason() throws Exception {
        Stack s = stack(5, "{\"apiKey\":\"it-key-1\"}", null);
        vendor.reset();
        send(s, "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"ada@example.com\",\"plan\":\"pro\"}}");
        send(s, "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Signed Up\",\"timestamp\":\"2026-01-01T00:00:00Z\"}");
        send(s, "not json at all");
        send(s, "{\"type\":\"track\",\"userId\":\"u-2\",\"timestamp\":\"2026-01-01T00:00:00Z\"}");
        send(s, "{\"type\":\"page\",\"userId\":\"u-3\"}");

        drain(s);

        assertThat(vendor.requests()).extracting(r -> r.method() + " " + r.path()).containsExactlyInAnyOrder("POST /people", "POST /event");
        assertThat(vendor.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer it-key-1"));
        List<Message> parked = dlq(s);
        assertThat(parked).extracting(m -> m.messageAttributes().get("reason").stringValue())
                .containsExactlyInAnyOrder("invalid_event", "validation");
        Message missingName = parked.stream().filter(m -> m.messageAttributes().get("reason").stringValue().equals("validation")).findFirst().orElseThrow();
        assertThat(missingName.body()).contains("\"u-2\""); // the body is unchanged
        assertThat(missingName.messageAttributes().get("detail").stringValue()).isEqualTo("Missing required value from \"event\"");
        assertThat(missingName.messageAttributes().get("destination").stringValue()).isEqualTo("custify");
        assertThat(missingName.messageAttributes()).containsKeys("original_message_id", "receive_count", "first_received");
        assertThat(QueuePair.depth(sqs, s.queues().queueUrl())).isZero();
        String logs = s.logs().toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("\"outcome\":\"skipped\"").doesNotContain("it-key-1").doesNotContain("ada@example.com");
    }

    static final String BATCH_BODY = "{\"batch\":["
            + "{\"type\":\"identify\",\"userId\":\"u-1\",\"traits\":{\"email\":\"ada@example.com\"}},"
            + "{\"type\":\"track\",\"userId\":\"u-2\",\"event\":\"Flaky\",\"timestamp\":\"2026-12-01T06:53:58Z\"},"
            + "{\"type\":\"track\",\"userId\":\"u-3\"},"
            + "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Exported\",\"timestamp\":\"2026-12-01T06:53:58Z\"}],\"sentAt\":\"2026-12-01T06:53:59Z\"}";

    @Test
    void batchBody_theFailedEventAloneIsRetried_theBadOneAloneParked_theDeliveredOnesNeverWrittenAgain_D19() throws Exception {
        Stack s = stack(5, "{\"apiKey\":\"it-key-1\"}", null);
        vendor.reset();
        java.util.concurrent.atomic.AtomicInteger flaky = new java.util.concurrent.atomic.AtomicInteger();
        vendor.respond(r -> r.body().contains("Flaky") && flaky.getAndIncrement() == 0 ? VendorStub.Reply.json(503, "{}") : custify.answer(r));
        send(s, BATCH_BODY);

        drain(s);

        // u-2's event twice (503, then from the re-queued body); u-1's two events once each: no neighbour written again
        assertThat(vendor.requests()).extracting(r -> r.method() + " " + r.path() + " " + r.body().replaceAll(".*\"(u-\\d)\".*", "$1"))
                .containsExactlyInAnyOrder("POST /people u-1", "POST /event u-1", "POST /event u-2", "POST /event u-2");
        List<Message> parked = dlq(s);
        assertThat(parked).singleElement().satisfies(m -> {
            assertThat(m.body()).as("the DLQ holds that one event").isEqualTo("{\"type\":\"track\",\"userId\":\"u-3\",\"sentAt\":\"2026-12-01T06:53:59Z\"}");
            assertThat(m.messageAttributes().get("reason").stringValue()).isEqualTo("validation");
        });
        assertThat(QueuePair.depth(sqs, s.queues().queueUrl())).isZero();
    }

    @Test
    void batchBody_anEventThatKeepsFailing_isParkedAloneOnItsLastReceive_countedAcrossRequeues_D19() throws Exception {
        Stack s = stack(3, "{\"apiKey\":\"it-key-1\"}", null);
        vendor.reset();
        vendor.respond(r -> r.body().contains("Flaky") ? VendorStub.Reply.json(503, "{}") : custify.answer(r));
        send(s, BATCH_BODY);

        drain(s);

        assertThat(vendor.requests()).filteredOn(r -> r.body().contains("Flaky")).as("tried on receives 1, 2 and 3").hasSize(3);
        assertThat(vendor.requests()).filteredOn(r -> r.body().contains("\"u-1\"")).hasSize(2);
        List<Message> parked = dlq(s);
        assertThat(parked).extracting(m -> m.messageAttributes().get("reason").stringValue()).containsExactlyInAnyOrder("validation", "vendor_unavailable");
        Message exhausted = parked.stream().filter(m -> m.messageAttributes().get("reason").stringValue().equals("vendor_unavailable")).findFirst().orElseThrow();
        assertThat(exhausted.body()).contains("Flaky").doesNotContain("u-1");
        assertThat(exhausted.messageAttributes().get("exhausted").stringValue()).isEqualTo("true");
        assertThat(exhausted.messageAttributes().get("receive_count").stringValue()).isEqualTo("3");
        assertThat(QueuePair.depth(sqs, s.queues().queueUrl())).isZero();
    }

    @Test
    void vendorDown_messageRetriedWithBackoffThenParkedOnItsLastReceive() throws Exception {
        Stack s = stack(3, "it-key-plain", null);
        vendor.reset();
        vendor.respond(custify.checking(r -> VendorStub.Reply.json(503, "{\"error\":\"maintenance\"}")));
        send(s, "{\"type\":\"identify\",\"userId\":\"u-9\"}");

        drain(s);

        assertThat(vendor.requests()).hasSize(3).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer it-key-plain"));
        List<Message> parked = dlq(s);
        assertThat(parked).hasSize(1);
        var attributes = parked.get(0).messageAttributes();
        assertThat(attributes.get("reason").stringValue()).isEqualTo("vendor_unavailable");
        assertThat(attributes.get("exhausted").stringValue()).isEqualTo("true");
        assertThat(attributes.get("vendor_status").stringValue()).isEqualTo("503");
        assertThat(attributes.get("detail").stringValue()).startsWith("gave up after 3 receives").contains("maintenance");
    }

    @Test
    void dlqUnreachable_messageIsNotAcknowledgedAndTheRedrivePolicyMovesIt() throws Exception {
        // the function cannot park (its DLQ_URL names a queue that does not exist): it must not acknowledge
        Stack s = stack(2, "{\"apiKey\":\"k\"}", "http://127.0.0.1:1/123456789012/missing");
        send(s, "{\"type\":\"identify\"}"); // no userId, no email: a permanent failure that cannot be parked

        for (int i = 0; i < 4; i++) {
            s.poller().pollOnce(Duration.ofSeconds(1));
        }

        assertThat(QueuePair.depth(sqs, s.queues().queueUrl())).isZero();
        List<Message> redriven = dlq(s);
        assertThat(redriven).hasSize(1); // moved by SQS's own redrive: nothing lost
        assertThat(redriven.get(0).body()).isEqualTo("{\"type\":\"identify\"}");
        assertThat(s.logs().toString(StandardCharsets.UTF_8)).contains("\"reason\":\"parking_failed\"");
    }

    @Test
    void secretRotated_cachedOldKeyAnswered401_functionRefreshesOnceAndDelivers() throws Exception {
        Stack s = stack(5, "{\"apiKey\":\"old-key\"}", null);
        vendor.reset();
        send(s, "{\"type\":\"identify\",\"userId\":\"u-1\"}");
        drain(s); // delivered with old-key, which is now cached
        secrets.putSecretValue(b -> b.secretId(s.secretArn()).secretString("{\"apiKey\":\"new-key\"}"));
        vendor.reset();
        vendor.respond(r -> "Bearer new-key".equals(r.header("Authorization")) ? custify.answer(r) : VendorStub.Reply.json(401, "{}"));
        send(s, "{\"type\":\"identify\",\"userId\":\"u-2\"}");

        drain(s);

        assertThat(vendor.requests()).extracting(r -> r.header("Authorization")).containsExactly("Bearer old-key", "Bearer new-key");
        assertThat(dlq(s)).isEmpty();
        assertThat(QueuePair.depth(sqs, s.queues().queueUrl())).isZero();
    }
}
