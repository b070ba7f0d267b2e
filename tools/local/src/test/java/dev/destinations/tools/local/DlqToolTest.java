package dev.destinations.tools.local;

import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.testkit.MotoServer;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** {@code bin/local dlq list|redrive} on moto_server: each test its own queue pair, a few parked messages. */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class DlqToolTest {
    static final Path EVENTS = Path.of("..", "..", "events");
    static MotoServer aws;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        sqs = aws.sqs();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void list_showsEachMessagesReason_andLeavesThemInTheDlq() {
        QueuePair q = queues("dlq-list");
        park(q, "body-1", "invalid_event", null);
        park(q, "body-2", "auth", "401");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<DlqTool.Parked> listed = DlqTool.list(sqs, q.dlqUrl(), 100, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(listed).extracting(DlqTool.Parked::reason).containsExactlyInAnyOrder("invalid_event", "auth");
        assertThat(listed).filteredOn(p -> p.reason().equals("auth")).singleElement()
                .satisfies(p -> assertThat(p.reasonAttributes()).containsEntry("vendor_status", "401").containsEntry("original_message_id", "orig-body-2"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("reason=invalid_event").contains("reason=auth").contains("vendor_status=401")
                .contains("receive_count=2").contains("detail=why body-2");
        assertThat(visible(q.dlqUrl())).as("visible again at once, nothing consumed").hasSize(2);
    }

    @Test
    void redriveWithAReason_movesOnlyThoseBackToTheSourceQueue_withoutTheReasonAttributes() {
        QueuePair q = queues("dlq-redrive");
        park(q, "{\"n\":1}", "invalid_event", null);
        park(q, "{\"n\":2}", "vendor_rejected", "422");
        park(q, "{\"n\":3}", "invalid_event", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DlqTool.Moved moved = DlqTool.redrive(sqs, q.dlqUrl(), null, "invalid_event", 100, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(moved.sourceUrl()).as("found by ListDeadLetterSourceQueues").isEqualTo(q.queueUrl());
        assertThat(moved.moved()).isEqualTo(2);
        assertThat(moved.left()).isEqualTo(1);
        List<Message> back = visible(q.queueUrl());
        assertThat(back).extracting(Message::body).containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":3}");
        assertThat(back).allSatisfy(m -> assertThat(m.messageAttributes()).containsOnlyKeys("tenant"));
        assertThat(visible(q.dlqUrl())).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("{\"n\":2}");
            assertThat(m.messageAttributes().get("reason").stringValue()).isEqualTo("vendor_rejected");
        });
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("moved 2 message(s)").contains("1 left in the DLQ {vendor_rejected=1}");
    }

    /** Custify's queue and DLQ from the template, in a stack of the test's own; 5 receives, 30 s visibility. */
    private static QueuePair queues(String prefix) {
        try {
            return FunctionEnvironment.create(sqs, aws.secrets(), EVENTS, Functions.named("custify"),
                    FunctionEnvironment.Overrides.uniqueStack(prefix).maxReceiveCount(5).visibilityTimeout(30)).queues();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A message as the batch runner parks it, plus an attribute of the producer's own. */
    private static void park(QueuePair q, String body, String reason, String vendorStatus) {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        a.put("reason", text(reason));
        a.put("destination", text("custify"));
        a.put("original_message_id", text("orig-" + body));
        a.put("receive_count", MessageAttributeValue.builder().dataType("Number").stringValue("2").build());
        a.put("detail", text("why " + body));
        if (vendorStatus != null) a.put("vendor_status", MessageAttributeValue.builder().dataType("Number").stringValue(vendorStatus).build());
        a.put("requeued_receive_count", MessageAttributeValue.builder().dataType("Number").stringValue("4").build()); // a re-queued batch event's (D19)
        a.put("tenant", text("acme"));
        sqs.sendMessage(b -> b.queueUrl(q.dlqUrl()).messageBody(body).messageAttributes(a));
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    private static List<Message> visible(String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages();
    }
}
