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

/**
 * The SQS writes the batch runner makes: parking a message in the DLQ, spacing out retries, and sending the events
 * of a batch body that must be retried back to the source queue (D19).
 */
final class QueueActions {
    static final int DETAIL_MAX_CHARS = 512;
    /** SQS's largest DelaySeconds. */
    static final int MAX_DELAY_SECONDS = 900;
    /** The receives a re-queued event had before this message (D19). */
    static final String REQUEUED_RECEIVE_COUNT = "requeued_receive_count";

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
        return park(message, null, 0, p);
    }

    /** As {@link #park(SQSMessage, Parking)}, with {@code body}, part {@code index} of a batch body, instead of the message's, when not null. */
    boolean park(SQSMessage message, String body, int index, Parking p) {
        if (dlqUrl == null) return false;
        String text = body != null ? body : message.getBody();
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        text(attributes, "reason", p.reason());
        text(attributes, "destination", p.destination());
        text(attributes, "original_message_id", originalMessageId(message));
        number(attributes, "receive_count", String.valueOf(receiveCount(message)));
        String firstReceived = firstReceived(message);
        if (firstReceived != null) text(attributes, "first_received", firstReceived);
        if (p.vendorStatus() > 0) number(attributes, "vendor_status", String.valueOf(p.vendorStatus()));
        if (p.exhausted()) text(attributes, "exhausted", "true");
        if (p.detail() != null && !p.detail().isEmpty()) text(attributes, "detail", truncate(p.detail()));
        // a FIFO source has a FIFO DLQ; one message id may park several events of a batch body
        String dedup = body == null ? message.getMessageId() : message.getMessageId() + "-" + (index + 1);
        if (send(dlqUrl, message, text, attributes, dedup, 0)) return true;
        Map<String, MessageAttributeValue> minimal = new HashMap<>();
        text(minimal, "reason", p.reason());
        text(minimal, "destination", p.destination());
        return send(dlqUrl, message, text, minimal, dedup, 0);
    }

    /**
     * Sends what is left of a batch body back to the queue it came from (the record's eventSourceARN: no extra
     * configuration, no GetQueueUrl), with the receive count and first-receive time so far, so MAX_RECEIVE_COUNT
     * and D11 keep counting across re-queues. DelaySeconds spaces the retry out (at most SQS's 900; FIFO queues
     * take no per-message delay). Returns false when the queue did not take it.
     */
    boolean requeue(SQSMessage message, String body, int receiveCount, int delaySeconds) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        number(attributes, REQUEUED_RECEIVE_COUNT, String.valueOf(receiveCount));
        text(attributes, "original_message_id", originalMessageId(message));
        String firstReceived = firstReceived(message);
        if (firstReceived != null) text(attributes, "first_received", firstReceived);
        return sendToSource(message, body, attributes, message.getMessageId() + "-r" + receiveCount, delaySeconds); // false: the caller parks instead
    }

    /** The message attribute that marks a deletion's second pass (D62); its value is the pass, "2". */
    static final String ERASURE_PASS = "erasure_pass";

    /**
     * Sends a deletion's event back to the queue it came from, {@code delaySeconds} later, marked as its second pass
     * (D62), with the first message's id. Returns false when the queue did not take it.
     */
    boolean sendSecondPass(SQSMessage message, String eventJson, int delaySeconds) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        text(attributes, ERASURE_PASS, "2");
        return sendToSource(message, eventJson, attributes, message.getMessageId() + "-pass2", delaySeconds); // false: the caller retries the deletion
    }

    /** Sends {@code body} to the queue {@code message} came from, at most SQS's delay later; false when no queue took it (or it has no source ARN). */
    private boolean sendToSource(SQSMessage message, String body, Map<String, MessageAttributeValue> attributes, String deduplicationId, int delaySeconds) {
        try {
            return send(queueUrl(message.getEventSourceArn()), message, body, attributes, deduplicationId, Math.min(Math.max(delaySeconds, 0), MAX_DELAY_SECONDS));
        } catch (IllegalArgumentException e) {
            return false; // no source queue ARN
        }
    }

    /** The message's FIFO group, or null on a standard queue. */
    static String messageGroup(SQSMessage m) {
        return m.getAttributes() == null ? null : m.getAttributes().get("MessageGroupId");
    }

    /** Whether the message is a deletion's second pass, which has no third (D62). */
    static boolean secondPass(SQSMessage m) {
        return attribute(m, ERASURE_PASS) != null;
    }

    private boolean send(String queueUrl, SQSMessage message, String body, Map<String, MessageAttributeValue> attributes,
                         String deduplicationId, int delaySeconds) {
        SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).messageAttributes(attributes);
        String group = messageGroup(message);
        if (group != null) b.messageGroupId(group).messageDeduplicationId(deduplicationId);
        else if (delaySeconds > 0) b.delaySeconds(delaySeconds);
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

    /** The message attribute bin/replay sets (its value names the source: archive or dlq), D54. */
    static final String REPLAY = "replay";

    /** Whether bin/replay sent the message: its events are in the archive already (D54), and it counts as Replayed. */
    static boolean replayed(SQSMessage m) {
        return attribute(m, REPLAY) != null;
    }

    /**
     * Whether the message's events arrive for the first time, so they go to the archive (D53): its first receive, not
     * re-queued from a batch body (D19, archived with that body), not a replay and not a deletion's second pass (D62).
     */
    static boolean firstArrival(SQSMessage m) {
        String count = m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
        return (count == null || count.equals("1")) && attribute(m, REQUEUED_RECEIVE_COUNT) == null && !replayed(m) && !secondPass(m);
    }

    /** This receive's count; for events re-queued from a batch body (D19), counted from the first message's receives. */
    static int receiveCount(SQSMessage m) {
        int count;
        try {
            count = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
        } catch (RuntimeException e) {
            count = 1;
        }
        String before = attribute(m, REQUEUED_RECEIVE_COUNT);
        try {
            return before == null ? count : Math.addExact(count, Math.max(0, Integer.parseInt(before)));
        } catch (RuntimeException e) {
            return count; // a producer's own attribute of that name that is no count
        }
    }

    private static String originalMessageId(SQSMessage m) {
        String original = carried(m, "original_message_id");
        return original != null ? original : m.getMessageId();
    }

    /** {@link #firstReceived} as an instant, or null when the message carries none that reads. */
    static java.time.Instant firstReceivedAt(SQSMessage m) {
        String iso = firstReceived(m);
        try {
            return iso == null ? null : java.time.Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** When the event was first received: carried by a re-queued message, else SQS's own timestamp. */
    private static String firstReceived(SQSMessage m) {
        String carried = carried(m, "first_received");
        if (carried != null) return carried;
        String ms = m.getAttributes() == null ? null : m.getAttributes().get("ApproximateFirstReceiveTimestamp");
        return ms == null ? null : toIso(ms);
    }

    /** An attribute {@link #requeue} set; a producer's own attribute of that name on another message is not ours to read. */
    private static String carried(SQSMessage m, String name) {
        return attribute(m, REQUEUED_RECEIVE_COUNT) == null ? null : attribute(m, name);
    }

    private static String attribute(SQSMessage m, String name) {
        var a = m.getMessageAttributes() == null ? null : m.getMessageAttributes().get(name);
        return a == null ? null : a.getStringValue();
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
