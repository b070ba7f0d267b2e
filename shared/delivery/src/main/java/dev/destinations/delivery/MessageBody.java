package dev.destinations.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one queue message body carries, read once for every destination (ingestion.md D18, D19). An SNS
 * Notification or an EventBridge event is unwrapped, again while envelopes nest, so the inner event is processed
 * as if it had arrived alone; a {@code {"batch": [...]}} body or a JSON array is split into its events, each
 * keeping the batch's {@code sentAt} when it has none. A body that is an S3 pointer (payload offloading, D59) is
 * fetched through {@link OffloadedPayloads} and read as if it had arrived inline, also inside an envelope. Never throws:
 * what is not an event is an invalid part.
 */
public final class MessageBody {
    /** Deeper than this is no real route (an EventBridge rule feeding a topic feeding the queue is 2). */
    static final int MAX_ENVELOPE_DEPTH = 10;
    /**
     * The first element of an offloaded body's pointer: the payload-offloading library's class, written by its
     * Jackson default typing (PayloadS3Pointer.toJson; the SQS extended client 2.x, the SNS extended client, read by
     * Powertools' large-message utility); version 1.x of the SQS extended client wrote its own MessageS3Pointer.
     */
    static final java.util.Set<String> POINTER_CLASSES = java.util.Set.of("software.amazon.payloadoffloading.PayloadS3Pointer",
            "com.amazon.sqs.javamessaging.MessageS3Pointer");

    private MessageBody() {}

    /**
     * An event read once: the event and its type (null when the type is missing or unknown), or the outcome that
     * ends it (not JSON, not an object). Reading is separate from {@link EventProcessor#process} so the batch runner
     * can order messages by user before processing them; the type is worked out here once, for the flow and the logs.
     */
    public record Message(Event event, Verdict invalid, EventType type) {
        public Message(Event event, Verdict invalid) {
            this(event, invalid, event == null || event.typeText() == null ? null : EventType.of(event.typeText()));
        }

        /** The event type as logs name it: its wire name, or "unreadable", "missing", "unknown". */
        public String typeName() {
            if (event == null) return "unreadable";
            if (type != null) return type.wireName();
            return event.typeText() == null ? "missing" : "unknown";
        }
    }

    /**
     * One event of a body, or why part of it is no event.
     *
     * @param text this event's own JSON when it came from a batch (what is parked or re-queued for it alone);
     *             null when the part is the whole body, whose original text is then kept
     */
    public record Part(Message read, String text) {}

    /**
     * @param batch     true when the body was a batch: each part then settles on its own
     * @param offloaded the S3 objects the body was read from (D59): deleted once the message is settled
     */
    public record Contents(List<Part> parts, boolean batch, List<OffloadedPayloads.Pointer> offloaded) {
        public Contents(List<Part> parts, boolean batch) {
            this(parts, batch, List.of());
        }
    }

    /** Reads a body that carries one event (an envelope is unwrapped); a batch body is the batch runner's to split. */
    public static Message readOne(String body) {
        Contents contents = read(body);
        if (contents.batch()) {
            return new Message(null, Verdict.of(Reason.INVALID_EVENT, "a batch body of " + contents.parts().size() + " events: only the batch runner splits it"));
        }
        return contents.parts().get(0).read();
    }

    public static Contents read(String body) {
        return read(body, OffloadedPayloads.none());
    }

    /** Reads a body; an S3 pointer in it is fetched from {@code payloads}. */
    public static Contents read(String body, OffloadedPayloads payloads) {
        JsonNode root;
        try {
            root = Json.parse(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            return invalid("message body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (java.io.IOException | RuntimeException e) {
            return invalid("message body could not be read as JSON");
        }
        List<OffloadedPayloads.Pointer> offloaded = new ArrayList<>(1);
        Contents contents = unwrap(root, 0, payloads, offloaded);
        return offloaded.isEmpty() ? contents : new Contents(contents.parts(), contents.batch(), List.copyOf(offloaded));
    }

    private static Contents unwrap(JsonNode node, int depth, OffloadedPayloads payloads, List<OffloadedPayloads.Pointer> offloaded) {
        if (depth > MAX_ENVELOPE_DEPTH) return invalid("envelopes nested more than " + MAX_ENVELOPE_DEPTH + " deep");
        OffloadedPayloads.Pointer pointer = pointer(node);
        if (pointer != null) {
            String text;
            try {
                text = payloads.fetch(pointer);
            } catch (Failure f) { // the pointer itself stays the body: it is what is parked or retried
                return new Contents(List.of(new Part(new Message(null, Verdict.of(f, 0, 0)), null)), false);
            }
            offloaded.add(pointer);
            JsonNode inner;
            try {
                inner = Json.parse(text);
            } catch (java.io.IOException | RuntimeException e) {
                return invalid("the offloaded body (S3 pointer) is not JSON");
            }
            return unwrap(inner, depth + 1, payloads, offloaded);
        }
        if (isSnsNotification(node)) {
            JsonNode message = node.get("Message");
            if (message == null || !message.isTextual()) return invalid("SNS notification without a Message text");
            JsonNode inner;
            try {
                inner = Json.parse(message.textValue());
            } catch (java.io.IOException | RuntimeException e) {
                return invalid("SNS notification whose Message is not JSON");
            }
            if (!inner.isContainerNode()) return invalid("SNS notification whose Message is JSON " + kind(inner) + ", not a JSON object");
            return unwrap(inner, depth + 1, payloads, offloaded);
        }
        if (isSnsControlMessage(node)) { // cross-account subscriptions send these to the queue: not an event
            return invalid("SNS " + node.get("Type").textValue() + ", not a notification: confirm the subscription in SNS");
        }
        if (isEventBridgeEvent(node)) {
            JsonNode detail = node.get("detail");
            if (detail == null || !detail.isContainerNode()) return invalid("EventBridge event whose detail is " + kind(detail) + ", not a JSON object");
            return unwrap(detail, depth + 1, payloads, offloaded);
        }
        if (node.isObject() && node.get("type") == null && node.has("batch")) {
            JsonNode list = node.get("batch");
            if (!list.isArray()) return invalid("batch body whose batch is " + kind(list) + ", not an array");
            return split(list, node.get("sentAt"));
        }
        if (node.isArray()) return split(node, null);
        if (!node.isObject()) return invalid("message body is " + kind(node) + ", not a JSON object");
        return new Contents(List.of(new Part(new Message(Event.of(node), null), null)), false);
    }

    /** The events of a batch, in order; a part that is not an object is invalid on its own, its neighbours go on. */
    private static Contents split(JsonNode list, JsonNode sentAt) {
        if (list.isEmpty()) return invalid("batch body with no events");
        List<Part> parts = new ArrayList<>(list.size());
        int n = 0;
        for (JsonNode element : list) {
            n++;
            if (!element.isObject()) {
                Verdict why = Verdict.of(Reason.INVALID_EVENT, "batch element " + n + " is " + kind(element) + ", not a JSON object");
                parts.add(new Part(new Message(null, why), Json.write(element)));
                continue;
            }
            if (sentAt != null && !element.has("sentAt")) ((ObjectNode) element).set("sentAt", sentAt);
            parts.add(new Part(new Message(Event.of(element), null), Json.write(element)));
        }
        return new Contents(parts, true);
    }

    /** The object an offloaded body's pointer names ({@link #POINTER_CLASSES}), or null when the node is no pointer. */
    private static OffloadedPayloads.Pointer pointer(JsonNode node) {
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !POINTER_CLASSES.contains(node.get(0).textValue())) return null;
        JsonNode bucket = node.get(1).get("s3BucketName");
        JsonNode key = node.get(1).get("s3Key");
        if (bucket == null || !bucket.isTextual() || key == null || !key.isTextual()) return null;
        return new OffloadedPayloads.Pointer(bucket.textValue(), key.textValue());
    }

    /** SNS's own format: {@code Type} "Notification" with the topic's ARN (raw message delivery off). */
    private static boolean isSnsNotification(JsonNode node) {
        return node.isObject() && "Notification".equals(node.path("Type").textValue()) && node.has("TopicArn");
    }

    private static boolean isSnsControlMessage(JsonNode node) {
        String type = node.path("Type").textValue();
        return node.isObject() && node.has("TopicArn") && ("SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type));
    }

    /** EventBridge's own format: every event has {@code detail-type} and {@code source}. */
    private static boolean isEventBridgeEvent(JsonNode node) {
        return node.isObject() && node.has("detail-type") && node.has("source");
    }

    private static Contents invalid(String detail) {
        return new Contents(List.of(new Part(new Message(null, Verdict.of(Reason.INVALID_EVENT, detail)), null)), false);
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) return "empty";
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
