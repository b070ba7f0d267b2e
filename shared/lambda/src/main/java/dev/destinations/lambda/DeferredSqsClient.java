package dev.destinations.lambda;

import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The SQS client, built when a message is first parked or retried: a batch that is all delivered never needs
 * it, so a cold start does not build it (bin/cold-start measures the difference). Only the two calls the
 * batch runner makes are passed on; SqsClient's other methods keep their UnsupportedOperationException default.
 */
final class DeferredSqsClient implements SqsClient {
    private final Lazy<SqsClient> client;

    DeferredSqsClient(Supplier<SqsClient> build) {
        this.client = new Lazy<>(build);
    }

    /** The real client, built on first use (also by SnapStart priming, so the snapshot holds it). */
    SqsClient client() {
        return client.get();
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return client().sendMessage(request);
    }

    @Override
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
        return client().changeMessageVisibilityBatch(request);
    }

    @Override
    public String serviceName() {
        return SqsClient.SERVICE_NAME;
    }

    @Override
    public void close() {
        SqsClient c = client.ifBuilt();
        if (c != null) c.close();
    }
}
