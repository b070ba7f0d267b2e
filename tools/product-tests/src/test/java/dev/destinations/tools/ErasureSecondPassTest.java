package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.custify.CustifySandbox;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.local.EventSourcePoller;
import dev.destinations.tools.local.FunctionEnvironment;
import dev.destinations.tools.local.QueuePair;
import dev.destinations.tools.local.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * D62: a deletion's second pass. Custify's function on a real queue and erasure table (moto_server), its sandbox
 * behind the stub. The user is deleted; then a write of theirs that another instance had checked against the
 * suppression store just before the deletion recorded it lands, and recreates them at the vendor (the race the
 * suppression alone cannot close); the deletion's second pass, back on the queue ERASURE_SECOND_PASS_SECONDS later,
 * deletes them again, schedules no third, and its calls join the deletion's receipt.
 */
@Tag(AwsEndpoint.TAG)
class ErasureSecondPassTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
    static final String USER = "race-user-1";

    @Test
    void aWriteInFlightDuringTheDeletion_isUndoneByTheSecondPass_whichHasNoThird() throws Exception {
        try (MotoServer aws = MotoServer.start()) {
            Assumptions.assumeTrue(AwsEndpoint.hasDynamoDb(aws.endpoint()), AwsEndpoint.NO_DYNAMODB);
            SqsClient sqs = aws.sqs();
            DynamoDbClient dynamoDb = aws.dynamoDb();
            Functions.Spec f = Functions.named("custify");
            var settings = FunctionEnvironment.settings(ROOT.resolve("events"), f);
            CustifySandbox custify = (CustifySandbox) VendorSandboxes.forFunction(f, settings);
            String stack = "second-pass-" + Long.toHexString(System.nanoTime());
            try (VendorStub stub = VendorStub.start().respond(custify)) {
                FunctionEnvironment fn = FunctionEnvironment.create(sqs, aws.secrets(), dynamoDb, SamTemplate.load(ROOT.resolve("template.yaml")),
                        ROOT.resolve("events"), f.logicalId(), FunctionEnvironment.Overrides.stack(stack).maxReceiveCount(5).visibilityTimeout(30)
                                .batchingWindow(Duration.ZERO).env(Map.of("VENDOR_BASE_URL", StubbedFunction.vendorBaseUrl(f, settings, stub.baseUrl()),
                                        "ERASURE_SECOND_PASS_SECONDS", "2")));
                List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
                DestinationHandler instanceA = f.handler().apply(new DestinationHandler.Wiring(fn.env(), sqs, aws.secrets(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        (ctx, m, type, result, verdict) -> outcomes.add(type + " " + result.code()), () -> dynamoDb));
                QueuePair q = fn.queues();
                EventSourcePoller poller = new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), 10, Duration.ZERO, instanceA, 30_000);

                sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(identify("m-1")));
                poller.pollOnce(Duration.ZERO);
                assertThat(custify.person(USER)).as("identified").isNotNull();

                // the deletion's first pass: suppressed, deleted; its second pass waits on the queue
                sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(
                        "{\"type\":\"userDeletion\",\"messageId\":\"del-race\",\"userAttributes\":[{\"userId\":\"" + USER + "\"}]}"));
                assertThat(poller.pollOnce(Duration.ZERO).received()).isEqualTo(1);
                assertThat(custify.person(USER)).as("deleted by the first pass").isNull();
                List<Message> waiting = peekDelayed(sqs, q.queueUrl());
                assertThat(waiting).singleElement().satisfies(m -> {
                    assertThat(m.messageAttributes().get("erasure_pass").stringValue()).isEqualTo("2");
                    assertThat(m.body()).contains("del-race");
                });

                // instance B had checked the store before the suppression was written: its write lands after the deletion
                Map<String, String> beforeTheSuppression = new HashMap<>(fn.env());
                beforeTheSuppression.remove("SUPPRESSION_TABLE");
                DestinationHandler instanceB = f.handler().apply(new DestinationHandler.Wiring(beforeTheSuppression, sqs, aws.secrets(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null, () -> dynamoDb));
                var late = SqsEvents.message("in-flight", identify("m-2"), 1);
                late.setEventSourceArn(q.queueArn());
                instanceB.handleRequest(SqsEvents.of(late), TestContext.of30Seconds());
                assertThat(custify.person(USER)).as("recreated by the write in flight").isNotNull();

                // the second pass, once its delay is over
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (QueuePair.depth(sqs, q.queueUrl()) > 0 && System.nanoTime() < deadline) {
                    if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) Thread.sleep(200);
                }
                assertThat(custify.person(USER)).as("deleted again by the second pass").isNull();
                assertThat(outcomes).containsExactly("identify delivered", "userDeletion delivered", "userDeletion delivered");
                Thread.sleep(3000); // a third pass would be on the queue by now
                assertThat(QueuePair.depth(sqs, q.queueUrl())).as("no third pass").isZero();

                Map<String, AttributeValue> receipt = dynamoDb.getItem(b -> b.tableName(fn.env().get("SUPPRESSION_TABLE"))
                        .key(Map.of("pk", AttributeValue.fromS("receipts"), "sk", AttributeValue.fromS("del-race")))).item();
                assertThat(receipt.get(f.slug()).l()).as("both passes' calls, in order").extracting(c -> c.m().get("status").n())
                        .hasSize(2).allSatisfy(status -> assertThat(Integer.parseInt(status)).isIn(200, 204));
                assertThat(receipt.toString()).doesNotContain(USER);
            }
        }
    }

    static String identify(String messageId) {
        return "{\"type\":\"identify\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + USER + "\",\"traits\":{\"email\":\"race@example.com\"}}";
    }

    /** The delayed message, once it shows: received and put back at once (visibility 0), so the poller still gets it. */
    static List<Message> peekDelayed(SqsClient sqs, String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (!got.isEmpty()) {
                for (Message m : got) sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
                return got;
            }
        }
        return List.of();
    }
}
