package dev.destinations.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The differences between moto_server and LocalStack that the code and the tests allow for ({@link AwsEndpoint}),
 * pinned on whichever emulator this run has: if one of them changes, this says so before a confusing failure elsewhere.
 */
@Tag(AwsEndpoint.TAG)
class EmulatorDifferencesTest {
    static MotoServer aws;
    static SqsClient sqs;
    static AwsEndpoint.Emulator emulator;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        sqs = aws.sqs();
        emulator = AwsEndpoint.emulatorAt(aws.endpoint());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        aws.close();
    }

    @Test
    void theAccount_isTheEmulatorsOwn_andTheQueueUrlAndArnAgreeOnIt() {
        String url = sqs.createQueue(b -> b.queueName("differences-" + UUID.randomUUID())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);

        String account = arn.split(":")[4];
        assertThat(account).isEqualTo(emulator == AwsEndpoint.Emulator.LOCALSTACK ? "000000000000" : "123456789012");
        assertThat(url).contains("/" + account + "/");
    }

    @Test
    void changingTheVisibilityOfADeletedMessage_failsThatEntry_withTheEmulatorsCode() {
        String url = sqs.createQueue(b -> b.queueName("differences-" + UUID.randomUUID())).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{}"));
        Message m = receiveOne(url, Duration.ofSeconds(5));
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));

        List<BatchResultErrorEntry> failed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url)
                .entries(e -> e.id("m0").receiptHandle(m.receiptHandle()).visibilityTimeout(30))).failed();

        // QueueActions.changeVisibility counts any failed entry and never looks at the code
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).code()).isEqualTo(emulator == AwsEndpoint.Emulator.LOCALSTACK ? "InvalidParameterValueException" : "ReceiptHandleIsInvalid");
    }

    @Test
    void aMessageMadeVisibleAgainAfterOneSecond_reappearsWithinTheAllowedLag() {
        String url = sqs.createQueue(b -> b.queueName("differences-" + UUID.randomUUID())).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{}"));
        Message first = receiveOne(url, Duration.ofSeconds(5));
        long changed = System.nanoTime();
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(1));

        Message again = receiveOne(url, Duration.ofSeconds(1).plus(AwsEndpoint.visibilityLag()).plusSeconds(2));
        Duration after = Duration.ofNanos(System.nanoTime() - changed);

        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(after).isGreaterThanOrEqualTo(Duration.ofMillis(900)); // not before its timeout, on either
    }

    private static Message receiveOne(String url, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
            if (!got.isEmpty()) return got.get(0);
        }
        throw new AssertionError("no message within " + within + " on " + emulator);
    }
}
