package dev.destinations.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The two SQS writes the batch runner makes: parking a message in the DLQ and spacing out retries. */
final class QueueActions {
    static final int DETAIL_MAX_CHARS = 512;

    private final SqsClient sqs;
    private final String dlqUrl;

    QueueActions(SqsClient sqs, String dlqUrl) {
        this.sqs = sqs;
        this.dlqUrl = dlqUrl;
    }

    /** What a parked message carries besides its unchanged body. */
    record Parking(String destination, String reason, String detail, int vendorStatus, boolean exhausted) {}

    /**
     * Sends the unchanged body to the DLQ with the reason attributes. Returns false when the DLQ did not take it
     * (the caller then retries the message). If the attributes make the message too large, it tries once more with
     * the reason alone.
     */
    boolean park(SQSMessage message, Parking p) {
        if (dlqUrl == null) return false;
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        text(attributes, "reason", p.reason());
        text(attributes, "destination", p.destination());
        text(attributes, "original_message_id", message.getMessageId());
        number(attributes, "receive_count", String.valueOf(receiveCount(message)));
        String firstReceived = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateFirstReceiveTimestamp");
        if (firstReceived != null) text(attributes, "first_received", toIso(firstReceived));
        if (p.vendorStatus() > 0) number(attributes, "vendor_status", String.valueOf(p.vendorStatus()));
        if (p.exhausted()) text(attributes, "exhausted", "true");
        if (p.detail() != null && !p.detail().isEmpty()) text(attributes, "detail", truncate(p.detail()));
        if (send(message, attributes)) return true;
        Map<String, MessageAttributeValue> minimal = new HashMap<>();
        text(minimal, "reason", p.reason());
        text(minimal, "destination", p.destination());
        return send(message, minimal);
    }

    private boolean send(SQSMessage message, Map<String, MessageAttributeValue> attributes) {
        SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(dlqUrl).messageBody(message.getBody()).messageAttributes(attributes);
        String group = message.getAttributes() == null ? null : message.getAttributes().get("MessageGroupId");
        if (group != null) b.messageGroupId(group).messageDeduplicationId(message.getMessageId()); // a FIFO source has a FIFO DLQ
        try {
            sqs.sendMessage(b.build());
            return true;
        } catch (SdkException e) {
            return false;
        }
    }

    /** Sets each message's visibility (best effort: a failure leaves the queue's own timeout). Returns how many failed. */
    int changeVisibility(Map<SQSMessage, Integer> seconds) {
        Map<String, List<ChangeMessageVisibilityBatchRequestEntry>> byQueue = new LinkedHashMap<>();
        int i = 0;
        for (var e : seconds.entrySet()) {
            byQueue.computeIfAbsent(queueUrl(e.getKey().getEventSourceArn()), q -> new ArrayList<>())
                    .add(ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("m" + i++).receiptHandle(e.getKey().getReceiptHandle()).visibilityTimeout(e.getValue()).build());
        }
        int failed = 0;
        for (var q : byQueue.entrySet()) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = q.getValue();
            for (int from = 0; from < entries.size(); from += 10) { // the API takes ten entries per call
                List<ChangeMessageVisibilityBatchRequestEntry> chunk = entries.subList(from, Math.min(from + 10, entries.size()));
                try {
                    failed += sqs.changeMessageVisibilityBatch(b -> b.queueUrl(q.getKey()).entries(chunk)).failed().size();
                } catch (SdkException e) {
                    failed += chunk.size();
                }
            }
        }
        return failed;
    }

    static int receiveCount(SQSMessage m) {
        try {
            return Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** {@code arn:aws:sqs:REGION:ACCOUNT:NAME} to its queue URL; the SDK sends to its configured endpoint either way. */
    static String queueUrl(String arn) {
        String[] p = arn == null ? new String[0] : arn.split(":", 6);
        if (p.length < 6) throw new IllegalArgumentException("not an SQS queue ARN: " + arn);
        return "https://sqs." + p[3] + ".amazonaws.com/" + p[4] + "/" + p[5];
    }

    private static String toIso(String epochMillis) {
        try {
            return java.time.Instant.ofEpochMilli(Long.parseLong(epochMillis)).toString();
        } catch (NumberFormatException e) {
            return epochMillis;
        }
    }

    private static String truncate(String s) {
        return s.length() <= DETAIL_MAX_CHARS ? s : s.substring(0, DETAIL_MAX_CHARS - 3) + "...";
    }

    private static void text(Map<String, MessageAttributeValue> m, String name, String value) {
        m.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
    }

    private static void number(Map<String, MessageAttributeValue> m, String name, String value) {
        m.put(name, MessageAttributeValue.builder().dataType("Number").stringValue(value).build());
    }
}
