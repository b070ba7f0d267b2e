package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.mapping.Json;
import dev.destinations.testkit.SqsEvents;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** D18 envelopes and D19 batches: what a body carries, read once for every destination. */
class MessageBodyTest {
    static final String EVENT = "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"Signed Up\"}";

    static String sns(String message) {
        return SqsEvents.snsNotification(message);
    }

    static String eventBridge(String detail) {
        return SqsEvents.eventBridgeEvent(detail);
    }

    private static String onlyEvent(String body) {
        MessageBody.Contents c = MessageBody.read(body);
        assertThat(c.batch()).isFalse();
        assertThat(c.parts()).hasSize(1);
        assertThat(c.parts().get(0).read().invalid()).isNull();
        assertThat(c.parts().get(0).text()).as("the whole body is kept for the DLQ").isNull();
        return Json.write(c.parts().get(0).read().event().root());
    }

    private static String invalidDetail(String body) {
        MessageBody.Contents c = MessageBody.read(body);
        assertThat(c.parts()).hasSize(1);
        Verdict o = c.parts().get(0).read().invalid();
        assertThat(o).isNotNull();
        assertThat(o.reason()).isEqualTo(Reason.INVALID_EVENT);
        return o.detail();
    }

    @Test
    void envelopes_areUnwrappedToTheSameEvent() {
        assertThat(onlyEvent(EVENT)).isEqualTo(EVENT);
        assertThat(onlyEvent(sns(EVENT))).isEqualTo(EVENT);
        assertThat(onlyEvent(eventBridge(EVENT))).isEqualTo(EVENT);
        assertThat(onlyEvent(sns(eventBridge(EVENT)))).as("an EventBridge rule targeting a topic").isEqualTo(EVENT);
        assertThat(onlyEvent(eventBridge(eventBridge(eventBridge(EVENT))))).isEqualTo(EVENT);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "SNS:not json          | SNS notification whose Message is not JSON",
            "SNS:42                | SNS notification whose Message is JSON number, not a JSON object",
            "EB:null               | EventBridge event whose detail is null, not a JSON object",
            "EB:\"text\"           | EventBridge event whose detail is string, not a JSON object",
            "RAW:{\"batch\":{}}    | batch body whose batch is object, not an array",
            "RAW:{\"batch\":[]}    | batch body with no events",
            "RAW:[]                | batch body with no events",
            "RAW:17                | message body is number, not a JSON object",
            "RAW:{\"Type\":\"Notification\",\"TopicArn\":\"arn:t\"} | SNS notification without a Message text",
            "RAW:{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":\"arn:t\",\"Message\":\"You have chosen to subscribe\"} | SNS SubscriptionConfirmation, not a notification: confirm the subscription in SNS"})
    void recognisedEnvelopesWithoutAnEvent_sayWhatWasFound(String input, String detail) {
        String kind = input.substring(0, input.indexOf(':'));
        String content = input.substring(input.indexOf(':') + 1);
        String body = switch (kind) {
            case "SNS" -> sns(content);
            case "EB" -> eventBridge(content);
            default -> content;
        };
        assertThat(invalidDetail(body)).isEqualTo(detail);
    }

    @Test
    void nestingIsBounded_fiftyDeepIsInvalidNotACrash() {
        String body = EVENT;
        for (int i = 0; i < 50; i++) body = eventBridge(body);
        assertThat(invalidDetail(body)).isEqualTo("envelopes nested more than " + MessageBody.MAX_ENVELOPE_DEPTH + " deep");
        String atTheLimit = EVENT;
        for (int i = 0; i < MessageBody.MAX_ENVELOPE_DEPTH; i++) atTheLimit = eventBridge(atTheLimit);
        assertThat(onlyEvent(atTheLimit)).isEqualTo(EVENT);
    }

    @Test
    void batch_isSplitInOrder_keepingTheBatchSentAtOnEventsWithoutOne() throws Exception {
        String body = "{\"batch\":[{\"type\":\"identify\",\"userId\":\"a\"},7,{\"type\":\"track\",\"userId\":\"b\",\"sentAt\":\"2026-12-01T00:00:00Z\"}],"
                + "\"sentAt\":\"2026-12-01T06:53:59Z\"}";
        MessageBody.Contents c = MessageBody.read(sns(body));
        assertThat(c.batch()).isTrue();
        List<MessageBody.Part> parts = c.parts();
        assertThat(parts).hasSize(3);
        assertThat(Json.parse(parts.get(0).text()).path("sentAt").asText()).isEqualTo("2026-12-01T06:53:59Z");
        assertThat(parts.get(0).read().event().root().path("sentAt").asText()).isEqualTo("2026-12-01T06:53:59Z");
        assertThat(parts.get(1).read().invalid().detail()).isEqualTo("batch element 2 is number, not a JSON object");
        assertThat(parts.get(1).text()).isEqualTo("7");
        assertThat(Json.parse(parts.get(2).text()).path("sentAt").asText()).as("its own sentAt wins").isEqualTo("2026-12-01T00:00:00Z");
    }

    @Test
    void jsonArray_isABatch_andAnEventWithABatchProperty_isAnEvent() {
        MessageBody.Contents c = MessageBody.read("[" + EVENT + "," + EVENT + "]");
        assertThat(c.batch()).isTrue();
        assertThat(c.parts()).extracting(MessageBody.Part::text).containsExactly(EVENT, EVENT);
        String withBatch = "{\"type\":\"track\",\"event\":\"x\",\"batch\":[1]}";
        assertThat(onlyEvent(withBatch)).isEqualTo(withBatch);
    }

    // ------------------------------------------------------------------------------ D59: bodies offloaded to S3

    static String pointer(String bucket, String key) {
        return "[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"" + bucket + "\",\"s3Key\":\"" + key + "\"}]";
    }

    /** An in-memory bucket: what was fetched is remembered. */
    static final class Objects implements OffloadedPayloads {
        final java.util.Map<String, String> texts = new java.util.HashMap<>();
        final List<String> fetched = new java.util.ArrayList<>();

        @Override
        public String fetch(Pointer p) {
            fetched.add(p.bucket() + "/" + p.key());
            String text = texts.get(p.key());
            if (text == null) throw new Failure(Reason.PAYLOAD_MISSING, "gone");
            return text;
        }

        @Override
        public void delete(Pointer p) {
            texts.remove(p.key());
        }
    }

    @Test
    void anOffloadedBody_isReadAsIfInline_alsoInsideAnSnsEnvelope_andABatchInItIsSplit() {
        Objects s3 = new Objects();
        s3.texts.put("k1", EVENT);
        s3.texts.put("k2", "{\"batch\":[" + EVENT + "," + EVENT.replace("u-1", "u-2") + "]}");

        MessageBody.Contents one = MessageBody.read(pointer("b", "k1"), s3);
        assertThat(one.batch()).isFalse();
        assertThat(one.parts().get(0).read().event().root().path("userId").asText()).isEqualTo("u-1");
        assertThat(one.parts().get(0).text()).as("the pointer itself is what a park keeps").isNull();
        assertThat(one.offloaded()).containsExactly(new OffloadedPayloads.Pointer("b", "k1"));

        MessageBody.Contents batch = MessageBody.read(sns(pointer("b", "k2")), s3); // the SNS extended client, raw delivery off
        assertThat(batch.batch()).isTrue();
        assertThat(batch.parts()).extracting(p -> p.read().event().root().path("userId").asText()).containsExactly("u-1", "u-2");
        assertThat(batch.offloaded()).containsExactly(new OffloadedPayloads.Pointer("b", "k2"));
        assertThat(s3.fetched).containsExactly("b/k1", "b/k2");
    }

    @Test
    void aPointerThatCannotBeFetched_isOnePartWithTheFetchsReason_andNothingToDelete() {
        MessageBody.Contents c = MessageBody.read(pointer("b", "nope"), new Objects());

        assertThat(c.parts()).hasSize(1);
        assertThat(c.parts().get(0).read().invalid().reason()).isEqualTo(Reason.PAYLOAD_MISSING);
        assertThat(c.offloaded()).isEmpty();
        assertThat(MessageBody.read(pointer("b", "k")).parts().get(0).read().invalid().reason())
                .as("offloading off").isEqualTo(Reason.PAYLOAD_NOT_ALLOWED);
    }

    @Test
    void anArrayThatOnlyLooksLikeAPointer_isAnOrdinaryBatch() {
        MessageBody.Contents c = MessageBody.read("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3Key\":\"k\"}]", new Objects());
        assertThat(c.batch()).isTrue();
        assertThat(c.offloaded()).isEmpty();
        assertThat(MessageBody.read("[1,{\"s3BucketName\":\"b\",\"s3Key\":\"k\"}]", new Objects()).batch()).isTrue();
    }
}
