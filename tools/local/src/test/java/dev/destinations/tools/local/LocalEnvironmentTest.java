package dev.destinations.tools.local;

import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bin/local stack}'s core on moto_server: the queues, DLQs and secrets come from template.yaml, and a message
 * published with a plain SqsClient is picked up by the poller and run through the function's real handler.
 */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalEnvironment
class LocalEnvironmentTest {
    static final Path ROOT = Path.of("..", "..");
    static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();
    static LocalEnvironment stack;
    static String stackName;

    @BeforeAll
    static void start() throws Exception {
        stackName = "t" + UUID.randomUUID().toString().substring(0, 8);
        // the template's 5 s batching window, shortened so a lone message is not held for it
        stack = LocalEnvironment.start(LocalEnvironment.Options.defaults(ROOT).withStackName(stackName).withBatchingWindow(Duration.ofMillis(200)),
                new PrintStream(OUTPUT, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void identifyPublishedToTheTemplatesQueue_isDeliveredToTheVendorSandbox() throws Exception {
        String user = "user-" + UUID.randomUUID();
        SqsClient sqs = stack.sqs();
        FunctionEnvironment custify = stack.function("CustifyFunction");

        String id = sqs.sendMessage(b -> b.queueUrl(custify.queueUrl())
                .messageBody("{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":{\"email\":\"ada@example.com\"}}")).messageId();

        LocalEnvironment.Seen seen = awaitOutcome(id);
        assertThat(seen.functionId()).isEqualTo("CustifyFunction");
        assertThat(seen.outcome()).isEqualTo("delivered");
        assertThat(stack.vendorRequests()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api.custify.com/people");
            assertThat(r.body()).contains(user);
            assertThat(r.header("authorization")).isEqualTo("Bearer " + LocalEnvironment.LOCAL_API_KEY);
        });
        assertThat(OUTPUT.toString(StandardCharsets.UTF_8)).contains("outcome  CustifyFunction").contains(id)
                .contains("vendor   POST   https://api.custify.com/people -> 201");
        awaitDepthZero(sqs, custify.queueUrl());
    }

    @Test
    void snsEnvelopedBatch_printsOneOutcomePerInnerEvent_D18_D19() throws Exception {
        SqsClient sqs = stack.sqs();
        FunctionEnvironment custify = stack.function("CustifyFunction");
        String batch = "[{\"type\":\"identify\",\"userId\":\"u-b1\"},{\"type\":\"page\",\"userId\":\"u-b1\"}]";
        String body = dev.destinations.testkit.SqsEvents.snsNotification(batch);

        String id = sqs.sendMessage(b -> b.queueUrl(custify.queueUrl()).messageBody(body)).messageId();

        assertThat(awaitOutcome(id + "#1").outcome()).isEqualTo("delivered");
        assertThat(awaitOutcome(id + "#2").reason()).isEqualTo("not_handled");
        assertThat(OUTPUT.toString(StandardCharsets.UTF_8)).contains(id + "#1").contains(id + "#2");
        awaitDepthZero(sqs, custify.queueUrl());
    }

    @Test
    void malformedMessage_endsInTheDlqWithReasonInvalidEvent() throws Exception {
        SqsClient sqs = stack.sqs();
        FunctionEnvironment gainsight = stack.function("gainsight-px");

        String id = sqs.sendMessage(b -> b.queueUrl(gainsight.queueUrl()).messageBody("{\"type\":\"identify\",\"userId\":")).messageId();

        assertThat(awaitOutcome(id).reason()).isEqualTo("invalid_event");
        Message parked = sqs.receiveMessage(b -> b.queueUrl(gainsight.dlqUrl()).waitTimeSeconds(2).messageAttributeNames("All")).messages().get(0);
        assertThat(parked.body()).isEqualTo("{\"type\":\"identify\",\"userId\":");
        assertThat(parked.messageAttributes().get("reason").stringValue()).isEqualTo("invalid_event");
        assertThat(parked.messageAttributes().get("original_message_id").stringValue()).isEqualTo(id);
        awaitDepthZero(sqs, gainsight.queueUrl());
    }

    @Test
    void queuesDlqsAndSecrets_comeFromTheTemplate() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        Object maxReceiveDefault = SamTemplate.map(SamTemplate.map(template.raw().get("Parameters")).get("MaxReceiveCount")).get("Default");
        assertThat(stack.functions()).extracting(f -> f.function().logicalId()).containsExactlyInAnyOrderElementsOf(template.functionIds());

        for (FunctionEnvironment f : stack.functions()) {
            String slug = f.function().destination().slug();
            Map<QueueAttributeName, String> a = stack.sqs().getQueueAttributes(b -> b.queueUrl(f.queueUrl()).attributeNames(QueueAttributeName.ALL)).attributes();
            JsonNode redrive = Json.parse(a.get(QueueAttributeName.REDRIVE_POLICY));
            Map<String, Object> queue = template.properties(f.queueLogicalId());

            assertThat(f.queueName()).isEqualTo(stackName + "-" + slug);
            assertThat(f.queueUrl()).endsWith("/" + stackName + "-" + slug);
            assertThat(f.dlqUrl()).endsWith("/" + stackName + "-" + slug + "-dlq");
            assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(((Number) maxReceiveDefault).intValue());
            assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(f.dlqArn()).endsWith(":" + stackName + "-" + slug + "-dlq");
            assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo(String.valueOf(queue.get("VisibilityTimeout")));
            assertThat(a.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).isEqualTo(String.valueOf(queue.get("MessageRetentionPeriod")));
            assertThat(f.backfillQueueUrl()).endsWith("/" + stackName + "-" + slug + "-backfill"); // D57: the backfill lane, same DLQ
            assertThat(stack.sqs().listDeadLetterSourceQueues(b -> b.queueUrl(f.dlqUrl())).queueUrls()).containsExactlyInAnyOrder(f.queueUrl(), f.backfillQueueUrl());
            assertThat(stack.sqs().getQueueAttributes(b -> b.queueUrl(f.backfillQueueUrl()).attributeNames(QueueAttributeName.MAXIMUM_MESSAGE_SIZE))
                    .attributes().get(QueueAttributeName.MAXIMUM_MESSAGE_SIZE)).isEqualTo("1048576");
            assertThat(f.batchSize()).isEqualTo(template.sqsEvent(f.function().logicalId()).get("BatchSize"));
            assertThat(FunctionEnvironment.declared(template, f.function().logicalId()).batchingWindow()).isEqualTo(Duration.ofSeconds(((Number) template
                    .sqsEvent(f.function().logicalId()).get("MaximumBatchingWindowInSeconds")).intValue()));
            assertThat(f.batchingWindow()).as("the test's override").isEqualTo(Duration.ofMillis(200));
            assertThat(f.secretName()).isEqualTo("/" + stackName + "/destinations/" + slug + "/api-key");
        }
    }

    @Test
    void close_stopsTheMotoServerItStarted() throws Exception {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null,
                "runs on moto_server only: it checks that close() stops the moto_server the stack started itself; an endpoint from AWS_ENDPOINT_URL (LocalEnvironment) is not the stack's to stop");
        LocalEnvironment other = LocalEnvironment.start(LocalEnvironment.Options.defaults(ROOT).withStackName("stop-check"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        URI endpoint = other.endpoint();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isLessThan(500);

        other.close();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void unknownFunctionName_isRefusedWithTheNames() {
        assertThatThrownBy(() -> stack.function("NoSuchFunction")).hasMessageContaining("CustifyFunction");
        assertThat(Functions.byName("custify")).map(Functions.Spec::logicalId).contains("CustifyFunction");
    }

    private static LocalEnvironment.Seen awaitOutcome(String messageId) throws InterruptedException {
        Predicate<LocalEnvironment.Seen> mine = s -> s.messageId().equals(messageId);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var found = stack.outcomes().stream().filter(mine).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(50);
        }
        throw new AssertionError("no outcome for " + messageId + "; output:\n" + OUTPUT.toString(StandardCharsets.UTF_8));
    }

    private static void awaitDepthZero(SqsClient sqs, String url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (QueuePair.depth(sqs, url) > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(QueuePair.depth(sqs, url)).as("left on the queue").isZero();
    }
}
