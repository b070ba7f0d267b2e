package dev.destinations.tools.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.destinations.testkit.TestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Lambda's SQS event source mapping, reproduced against a real SQS endpoint: receive up to the batch size
 * (waiting up to the batching window to fill it), invoke the handler, then delete every message not listed in
 * {@code batchItemFailures}. A handler that throws, a malformed response or an unknown item id deletes nothing
 * (the whole batch is retried). Visibility and redrive are left to the queue, as on AWS.
 */
public final class EventSourcePoller {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Duration batchingWindow;
    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;
    private final long functionTimeoutMillis;

    public EventSourcePoller(SqsClient sqs, String queueUrl, String queueArn, int batchSize, Duration batchingWindow,
                             RequestHandler<SQSEvent, SQSBatchResponse> handler, long functionTimeoutMillis) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = batchSize;
        this.batchingWindow = batchingWindow;
        this.handler = handler;
        this.functionTimeoutMillis = functionTimeoutMillis;
    }

    /** What one poll did. */
    public record Poll(int received, int deleted, int reportedFailures, boolean invocationFailed) {}

    /** Receives one batch (waiting at most {@code wait} for the first message) and invokes the handler once. */
    public Poll pollOnce(Duration wait) {
        List<Message> batch = new ArrayList<>();
        long windowEnds = System.nanoTime() + batchingWindow.toNanos();
        int waitSeconds = (int) Math.min(20, Math.max(0, wait.toSeconds()));
        while (batch.size() < batchSize) {
            int want = Math.min(10, batchSize - batch.size());
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(want)
                    .waitTimeSeconds(batch.isEmpty() ? waitSeconds : 0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"));
            batch.addAll(r.messages());
            if (r.messages().isEmpty() && (batch.isEmpty() || System.nanoTime() >= windowEnds)) break;
            if (System.nanoTime() >= windowEnds) break;
            if (r.messages().isEmpty()) pause(Math.min(50, (windowEnds - System.nanoTime()) / 1_000_000)); // wait for the window, not spin on receives
        }
        if (batch.isEmpty()) return new Poll(0, 0, 0, false);
        SQSEvent event = toEvent(batch);
        Set<String> failed = new HashSet<>();
        boolean invocationFailed = false;
        try {
            SQSBatchResponse response = handler.handleRequest(event, new TestContext(java.util.UUID.randomUUID().toString(), functionTimeoutMillis));
            Set<String> ids = new HashSet<>();
            batch.forEach(m -> ids.add(m.messageId()));
            if (response == null || response.getBatchItemFailures() == null) {
                invocationFailed = response == null;
            } else {
                for (var f : response.getBatchItemFailures()) {
                    if (f.getItemIdentifier() == null || !ids.contains(f.getItemIdentifier())) invocationFailed = true;
                    failed.add(f.getItemIdentifier());
                }
            }
        } catch (RuntimeException e) {
            invocationFailed = true;
        }
        if (invocationFailed) return new Poll(batch.size(), 0, batch.size(), true);
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + deletes.size()).receiptHandle(m.receiptHandle()).build());
            }
        }
        for (int from = 0; from < deletes.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> chunk = deletes.subList(from, Math.min(from + 10, deletes.size()));
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(chunk));
        }
        return new Poll(batch.size(), deletes.size(), failed.size(), false);
    }

    private static void pause(long millis) {
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SQSEvent toEvent(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion("us-east-1");
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            r.setAttributes(attributes);
            Map<String, SQSEvent.MessageAttribute> messageAttributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(v.dataType());
                a.setStringValue(v.stringValue());
                messageAttributes.put(k, a);
            });
            r.setMessageAttributes(messageAttributes);
            records.add(r);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(records);
        return e;
    }
}
