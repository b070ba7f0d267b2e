package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the processor uses the deduplication store: which writes, which key, and what a failure does to the claim. */
class EventProcessorDeduplicationTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    final AtomicLong now = new AtomicLong();
    final InMemoryDeliveredEvents store = new InMemoryDeliveredEvents(Duration.ofSeconds(60), Duration.ofHours(24), now::get);
    final List<String> claimed = new ArrayList<>();

    EventProcessor<JsonNode> processor(DeliveredEvents delivered) {
        SettingsSource fixed = SettingsSource.fixed(Json.object(), "k");
        return new EventProcessor<>(new TestDestination(), fixed, new VendorHttp(Duration.ofSeconds(1), Duration.ofSeconds(2)), stub.baseUrl(),
                Circuit.never(), RateBudget.unlimited(), KnownIds.none(), delivered);
    }

    /** The store, noting each key claimed. */
    DeliveredEvents recording() {
        return new DeliveredEvents() {
            @Override public Claim claim(String key) { claimed.add(key); return store.claim(key); }
            @Override public void complete(String key) { store.complete(key); }
            @Override public void release(String key) { store.release(key); }
        };
    }

    Verdict process(EventProcessor<JsonNode> p, String body, String sqsId) {
        return p.process(MessageBody.readOne(body), sqsId, new BatchMemo(), Long.MAX_VALUE);
    }

    @Test
    void aTrackDeliveredOnce_isSkippedAsDuplicate_withNoSecondWrite() {
        EventProcessor<JsonNode> p = processor(recording());
        String track = "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m-1\"}";
        assertThat(process(p, track, "sqs-1").delivered()).isTrue();
        Verdict again = process(p, track, "sqs-2"); // the producer re-sent it: another SQS id, the same messageId
        assertThat(again.reason()).isEqualTo(Reason.DUPLICATE);
        assertThat(again.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(stub.requests()).hasSize(1);
        assertThat(claimed).containsExactly("test#m-1", "test#m-1");
    }

    @Test
    void withoutAMessageId_theSqsIdIsTheKey_andIdentifyNeverTouchesTheStore() {
        EventProcessor<JsonNode> p = processor(recording());
        process(p, "{\"type\":\"track\",\"userId\":\"u1\"}", "sqs-1#2");
        process(p, "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"m-2\"}", "sqs-3");
        process(p, "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"m-2\"}", "sqs-3");
        assertThat(claimed).containsExactly("test#sqs-1#2");
        assertThat(stub.requests()).hasSize(3);
    }

    @Test
    void aFailedWrite_releasesItsClaim_soTheRetryWritesAtOnce() {
        EventProcessor<JsonNode> p = processor(recording());
        String track = "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m-3\"}";
        stub.respond(r -> VendorStub.Reply.status(503));
        assertThat(process(p, track, "sqs-1").reason()).isEqualTo(Reason.VENDOR_UNAVAILABLE);
        stub.respond(r -> VendorStub.Reply.status(200));
        assertThat(process(p, track, "sqs-1").delivered()).isTrue();
    }

    @Test
    void aClaimHeldElsewhere_isRetriedAsInFlight_withoutAVendorCall() {
        store.claim("test#m-4"); // another instance is writing it
        Verdict o = process(processor(recording()), "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m-4\"}", "sqs-1");
        assertThat(o.reason()).isEqualTo(Reason.IN_FLIGHT);
        assertThat(o.disposition()).isEqualTo(Reason.Disposition.RETRY);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void anUnavailableStore_deliversEveryTime() {
        DeliveredEvents down = new DeliveredEvents() {
            @Override public Claim claim(String key) { return Claim.UNAVAILABLE; }
            @Override public void complete(String key) { throw new AssertionError("nothing was claimed"); }
            @Override public void release(String key) { throw new AssertionError("nothing was claimed"); }
        };
        EventProcessor<JsonNode> p = processor(down);
        String track = "{\"type\":\"track\",\"userId\":\"u1\",\"messageId\":\"m-5\"}";
        assertThat(process(p, track, "sqs-1").delivered()).isTrue();
        assertThat(process(p, track, "sqs-1").delivered()).as("at least once, as without the store").isTrue();
        assertThat(stub.requests()).hasSize(2);
    }
}
