package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.TestDestination;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** D19: each event of a batch body settles on its own; a failed one is retried or parked alone, nothing twice. */
class BatchBodyTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    static final String DLQ = "https://sqs.local/1/dlq";
    static final String SOURCE = "https://sqs.us-east-1.amazonaws.com/123456789012/cs-destinations-test";
    InMemorySqs sqs;
    ByteArrayOutputStream out;
    Map<String, String> env;

    static final class Handler extends DestinationHandler {
        Handler(Wiring w) {
            super(new TestDestination(), w);
        }
    }

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        out = new ByteArrayOutputStream();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:secret", "DLQ_URL", DLQ,
                "VENDOR_BASE_URL", stub.baseUrl(), "MAX_RECEIVE_COUNT", "5", "RETRY_BASE_SECONDS", "10", "RETRY_MAX_SECONDS", "900"));
        stub.respond(r -> r.body().contains("u-down") ? VendorStub.Reply.json(503, "{}") : VendorStub.Reply.json(200, "{}"));
    }

    private SQSBatchResponse run(SQSEvent.SQSMessage... messages) {
        return new Handler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"key-abc-123\"}"),
                new PrintStream(out, true, StandardCharsets.UTF_8), null)).handleRequest(SqsEvents.of(messages), TestContext.of30Seconds());
    }

    static String track(String user, String action, int seq) {
        return "{\"type\":\"track\",\"userId\":\"" + user + "\",\"properties\":{\"action\":\"" + action + "\",\"seq\":" + seq + "}}";
    }

    static String batch(String... events) {
        return "{\"batch\":[" + String.join(",", events) + "]}";
    }

    private List<SendMessageRequest> sentTo(String url) {
        return sqs.sent.stream().filter(r -> r.queueUrl().equals(url)).toList();
    }

    private List<String> outcomes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (l.isBlank()) continue;
            JsonNode line = Json.parse(l);
            if (line.has("outcome")) lines.add(line.get("message_id").asText() + "=" + line.get("outcome").asText() + line.path("reason").asText(""));
        }
        return lines;
    }

    private static String attr(SendMessageRequest r, String name) {
        return r.messageAttributes().get(name).stringValue();
    }

    @Test
    void mixedBody_deliversTheGood_parksTheBadAlone_requeuesTheFailedAlone_andAcknowledgesTheMessage() throws Exception {
        String bad = track("u-2", "validate", 3);
        String down = track("u-down", "deliver", 2);
        SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), down, bad, track("u-1", "deliver", 4)), 1));

        assertThat(response.getBatchItemFailures()).as("the message is done with: its events each went somewhere").isEmpty();
        assertThat(stub.requests()).hasSize(3); // u-1 twice and the failed u-down attempt; the invalid one makes no call
        List<SendMessageRequest> parked = sentTo(DLQ);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).messageBody()).as("the DLQ holds that one event").isEqualTo(bad);
        assertThat(attr(parked.get(0), "reason")).isEqualTo("validation");
        assertThat(attr(parked.get(0), "original_message_id")).isEqualTo("m1");
        List<SendMessageRequest> requeued = sentTo(SOURCE);
        assertThat(requeued).hasSize(1);
        assertThat(requeued.get(0).messageBody()).isEqualTo(batch(down));
        assertThat(attr(requeued.get(0), "requeued_receive_count")).isEqualTo("1");
        assertThat(attr(requeued.get(0), "first_received")).isEqualTo("2024-11-19T07:06:40.100Z");
        assertThat(requeued.get(0).delaySeconds()).isBetween(5, 10);
        assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=delivered", "m1#2=retriedvendor_unavailable", "m1#3=parkedvalidation", "m1#4=delivered");
    }

    @Test
    void requeuedEvent_keepsCounting_andIsParkedAloneOnTheLastReceive() throws Exception {
        SQSEvent.SQSMessage again = SqsEvents.message("m2", batch(track("u-down", "deliver", 2)), 1);
        SQSEvent.MessageAttribute count = new SQSEvent.MessageAttribute();
        count.setDataType("Number");
        count.setStringValue("4");
        again.getMessageAttributes().put("requeued_receive_count", count);

        SQSBatchResponse response = run(again);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sentTo(DLQ)).singleElement().satisfies(p -> {
            assertThat(p.messageBody()).isEqualTo(track("u-down", "deliver", 2));
            assertThat(attr(p, "exhausted")).isEqualTo("true");
            assertThat(attr(p, "receive_count")).isEqualTo("5");
        });
    }

    @Test
    void everyEventToRetry_theMessageItselfIsRetried_nothingRequeued() {
        SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-down", "deliver", 1), track("u-down2", "deliver", 2)), 1));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(sqs.sent).isEmpty();
        assertThat(sqs.visibilityOf("rh-m1")).isBetween(5, 10);
    }

    @Test
    void afterAUsersEventFails_hisLaterEventsWait_andAreRequeuedAfterIt_inOrder() throws Exception {
        String first = track("u-down", "deliver", 1);
        String later = "{\"type\":\"track\",\"userId\":\"u-down\",\"properties\":{\"seq\":3}}";
        run(SqsEvents.message("m1", batch(first, track("u-1", "deliver", 2), later), 1));

        assertThat(stub.requests()).hasSize(2); // the later u-down event was not attempted
        assertThat(sentTo(SOURCE)).singleElement().satisfies(r -> assertThat(r.messageBody()).isEqualTo(batch(first, later)));
        assertThat(outcomes()).contains("m1#3=retrieduser_order_blocked");
    }

    @Test
    void sourceQueueRefusesTheRequeue_theFailedEventIsParkedAlone_neverLost_neighboursNotRedone() throws Exception {
        sqs.failSendsTo(SOURCE);
        String down = track("u-down", "deliver", 2);
        SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), down), 1));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sentTo(DLQ)).singleElement().satisfies(p -> {
            assertThat(p.messageBody()).isEqualTo(down);
            assertThat(attr(p, "reason")).isEqualTo("requeue_failed");
            assertThat(attr(p, "detail")).startsWith("the source queue did not take it back (vendor_unavailable: ");
        });
    }

    @Test
    void neitherQueueTakesIt_theWholeMessageIsRetried() {
        sqs.failSends(true);
        SQSBatchResponse response = run(SqsEvents.message("m1", batch(track("u-1", "deliver", 1), track("u-down", "deliver", 2)), 1));
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
    }

    @Test
    void fifo_requeueKeepsTheGroup_withADeduplicationIdAndNoDelay() {
        SQSEvent.SQSMessage m = SqsEvents.message("m1", batch(track("u-1", "deliver", 1), track("u-down", "deliver", 2)), 1);
        m.getAttributes().put("MessageGroupId", "g1");
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:cs-destinations-test.fifo");

        run(m);

        assertThat(sentTo(SOURCE + ".fifo")).singleElement().satisfies(r -> {
            assertThat(r.messageGroupId()).isEqualTo("g1");
            assertThat(r.messageDeduplicationId()).isEqualTo("m1-r1");
            assertThat(r.delaySeconds()).isNull();
        });
    }

    @Test
    void fifo_twoIdenticalEventsParkedFromOneBody_getTheirOwnDeduplicationIds_soNeitherIsDropped() {
        String bad = track("u-2", "validate", 1);
        SQSEvent.SQSMessage m = SqsEvents.message("m1", batch(bad, bad), 1);
        m.getAttributes().put("MessageGroupId", "g1");

        run(m);

        assertThat(sentTo(DLQ)).extracting(SendMessageRequest::messageDeduplicationId).containsExactly("m1-1", "m1-2");
    }

    @Test
    void eventsOfABodyCountAgainstTheDeadline() throws Exception {
        env.put("DEADLINE_MARGIN_MS", "5000");
        SQSBatchResponse response = new Handler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"k\"}"),
                new PrintStream(out, true, StandardCharsets.UTF_8), null))
                .handleRequest(SqsEvents.of(SqsEvents.message("m1", batch(track("a", "deliver", 1), track("b", "deliver", 2)), 1)),
                        new TestContext("req", 1000));

        assertThat(stub.requests()).isEmpty();
        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(sqs.visibilityOf("rh-m1")).isZero();
        assertThat(outcomes()).containsExactlyInAnyOrder("m1#1=retrieddeadline", "m1#2=retrieddeadline");
    }

    @Test
    void envelopedSingleEvent_isProcessedAsAlone_andParkedWithTheOriginalBody() {
        String sns = "{\"Type\":\"Notification\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\",\"Message\":" + Json.write(Json.NODES.textNode(track("u-2", "validate", 1))) + "}";
        String eventBridge = "{\"detail-type\":\"e\",\"source\":\"s\",\"detail\":" + track("u-1", "deliver", 1) + "}";

        SQSBatchResponse response = run(SqsEvents.message("m1", sns, 1), SqsEvents.message("m2", eventBridge, 1));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo("{\"user\":\"u-1\",\"seq\":1}"));
        assertThat(sentTo(DLQ)).singleElement().satisfies(p -> assertThat(p.messageBody()).isEqualTo(sns));
    }
}
