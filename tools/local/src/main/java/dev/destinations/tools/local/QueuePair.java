package dev.destinations.tools.local;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A function's queue and its DLQ, on any SQS endpoint. They are created from template.yaml by
 * {@link FunctionEnvironment#create} ({@link FunctionEnvironment#queues()}), never with settings of their own.
 */
public record QueuePair(String queueUrl, String queueArn, String dlqUrl, String dlqArn) {

    /** Messages visible, in flight and delayed (what "not yet settled" means for a test or a summary). */
    public static int depth(SqsClient sqs, String url) {
        var a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }
}
