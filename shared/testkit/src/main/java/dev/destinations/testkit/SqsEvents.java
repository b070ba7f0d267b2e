package dev.destinations.testkit;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds SQS events as Lambda's event source delivers them. */
public final class SqsEvents {
    public static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:cs-destinations-test";

    private SqsEvents() {}

    /**
     * When the test messages were sent and first received: a minute before the tests started, as SQS would give them
     * (retries end by time since the first receive, RETRY_WINDOW_SECONDS, so a fixed old date would end them all).
     */
    public static final long FIRST_RECEIVED_MILLIS = System.currentTimeMillis() - 60_000;
    public static final String FIRST_RECEIVED_ISO = java.time.Instant.ofEpochMilli(FIRST_RECEIVED_MILLIS).toString();

    public static SQSMessage message(String id, String body, int receiveCount) {
        SQSMessage m = new SQSMessage();
        m.setMessageId(id);
        m.setReceiptHandle("rh-" + id);
        m.setBody(body);
        m.setEventSource("aws:sqs");
        m.setEventSourceArn(QUEUE_ARN);
        m.setAwsRegion("us-east-1");
        Map<String, String> attributes = new HashMap<>();
        attributes.put("ApproximateReceiveCount", String.valueOf(receiveCount));
        attributes.put("SentTimestamp", String.valueOf(FIRST_RECEIVED_MILLIS - 100));
        attributes.put("ApproximateFirstReceiveTimestamp", String.valueOf(FIRST_RECEIVED_MILLIS));
        m.setAttributes(attributes);
        m.setMessageAttributes(new HashMap<>());
        return m;
    }

    public static SQSEvent of(SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(new ArrayList<>(List.of(messages)));
        return e;
    }

    /** An SNS Notification, as a topic subscription with raw message delivery off puts {@code message} on a queue. */
    public static String snsNotification(String message) {
        String quoted = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(message));
        return "{\"Type\":\"Notification\",\"MessageId\":\"5f1a7c2e-0000-4000-8000-000000000001\",\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:events\","
                + "\"Message\":\"" + quoted + "\",\"Timestamp\":\"2026-12-01T06:53:59.000Z\",\"SignatureVersion\":\"1\"}";
    }

    /** An EventBridge event, as a rule with an SQS target and no InputPath puts {@code detailJson} on a queue. */
    public static String eventBridgeEvent(String detailJson) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-0000-4000-8000-000000000001\",\"detail-type\":\"track\",\"source\":\"aws.partner/segment.com/x\","
                + "\"account\":\"123456789012\",\"time\":\"2026-12-01T06:53:59Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detailJson + "}";
    }

    /** One message per body, ids m1, m2, ..., received once. */
    public static SQSEvent ofBodies(String... bodies) {
        List<SQSMessage> list = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) list.add(message("m" + (i + 1), bodies[i], 1));
        return of(list.toArray(SQSMessage[]::new));
    }
}
