package dev.destinations.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The SQS client, faked in memory for fast handler tests and the conformance runner: records the DLQ sends and
 * visibility changes the handler makes. The handler code path above the client is the real one; the moto_server
 * integration test covers the client itself.
 */
public final class InMemorySqs implements SqsClient {
    public final List<SendMessageRequest> sent = Collections.synchronizedList(new ArrayList<>());
    public final List<ChangeMessageVisibilityBatchRequest> visibilityChanges = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean sendFails;
    private volatile String failingQueueUrl;

    /** Makes every SendMessage fail, as an unavailable DLQ would. */
    public InMemorySqs failSends(boolean fail) {
        this.sendFails = fail;
        return this;
    }

    /** Makes SendMessage to this one queue fail (the source queue refusing a re-queue, say); others still work. */
    public InMemorySqs failSendsTo(String queueUrl) {
        this.failingQueueUrl = queueUrl;
        return this;
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        if (request.queueUrl().equals(failingQueueUrl)) throw SqsException.builder().message("injected: queue unavailable").statusCode(500).build();
        if (sendFails) throw SqsException.builder().message("injected: DLQ unavailable").statusCode(500).build();
        sent.add(request);
        return SendMessageResponse.builder().messageId("dlq-" + sent.size()).build();
    }

    @Override
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
        visibilityChanges.add(request);
        List<ChangeMessageVisibilityBatchResultEntry> ok = request.entries().stream()
                .map(e -> ChangeMessageVisibilityBatchResultEntry.builder().id(e.id()).build()).toList();
        return ChangeMessageVisibilityBatchResponse.builder().successful(ok).failed(List.of()).build();
    }

    /** Visibility seconds set for a receipt handle, or null. */
    public Integer visibilityOf(String receiptHandle) {
        synchronized (visibilityChanges) {
            Integer found = null;
            for (var r : visibilityChanges) {
                for (var e : r.entries()) if (e.receiptHandle().equals(receiptHandle)) found = e.visibilityTimeout();
            }
            return found;
        }
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
