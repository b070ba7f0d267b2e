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
        attributes.put("SentTimestamp", "1732000000000");
        attributes.put("ApproximateFirstReceiveTimestamp", "1732000000100");
        m.setAttributes(attributes);
        m.setMessageAttributes(new HashMap<>());
        return m;
    }

    public static SQSEvent of(SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(new ArrayList<>(List.of(messages)));
        return e;
    }

    /** One message per body, ids m1, m2, ..., received once. */
    public static SQSEvent ofBodies(String... bodies) {
        List<SQSMessage> list = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) list.add(message("m" + (i + 1), bodies[i], 1));
        return of(list.toArray(SQSMessage[]::new));
    }
}
