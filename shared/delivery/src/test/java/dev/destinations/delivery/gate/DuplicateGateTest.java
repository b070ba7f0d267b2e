package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.DeliveredEvents;
import dev.destinations.delivery.InMemoryDeliveredEvents;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.TestDestination;
import dev.destinations.delivery.Verdict;
import dev.destinations.mapping.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's own view of the claim; EventProcessorDeduplicationTest follows it through the processor and a vendor. */
class DuplicateGateTest {
    final InMemoryDeliveredEvents store = new InMemoryDeliveredEvents(Duration.ofSeconds(60), Duration.ofHours(24), () -> 0L);
    final List<String> calls = new ArrayList<>();
    final DuplicateGate<JsonNode> gate = new DuplicateGate<>(new TestDestination(), new DeliveredEvents() {
        @Override public Claim claim(String key) { calls.add("claim " + key); return store.claim(key); }
        @Override public void complete(String key) { calls.add("complete " + key); store.complete(key); }
        @Override public void release(String key) { calls.add("release " + key); store.release(key); }
    });

    Candidate<JsonNode> track(String messageId, String sqsId) {
        String id = messageId == null ? "" : ",\"messageId\":\"" + messageId + "\"";
        return Candidates.of("{\"type\":\"track\",\"userId\":\"u\"" + id + "}", sqsId, Json::object, "key");
    }

    @Test
    void aClaimIsHeldThroughTheFlow_andCompletedWhenItWrote() {
        Candidate<JsonNode> c = track("m-1", "sqs-1");
        assertThat(gate.check(c)).isNull();
        assertThat(calls).containsExactly("claim test#m-1");
        c.settle(true);
        assertThat(calls).containsExactly("claim test#m-1", "complete test#m-1");
        Verdict again = gate.check(track("m-1", "sqs-2"));
        assertThat(again.reason()).isEqualTo(Reason.DUPLICATE);
        assertThat(again.detail()).isEqualTo("messageId already delivered to test within the deduplication window");
    }

    @Test
    void aFailedFlow_releasesTheClaim_soTheRetryClaimsAtOnce() {
        Candidate<JsonNode> c = track("m-2", null);
        gate.check(c);
        c.settle(false);
        assertThat(calls).containsExactly("claim test#m-2", "release test#m-2");
        assertThat(gate.check(track("m-2", null))).isNull();
    }

    @Test
    void aClaimHeldElsewhere_isInFlight_andHoldsNothing() {
        store.claim("test#m-3");
        Candidate<JsonNode> c = track("m-3", null);
        Verdict v = gate.check(c);
        assertThat(v.reason()).isEqualTo(Reason.IN_FLIGHT);
        c.settle(false);
        assertThat(calls).containsExactly("claim test#m-3"); // the other holder's claim is not released
    }

    @Test
    void theSqsIdIsTheKeyWithoutAMessageId_andNeitherMeansNoClaim() {
        gate.check(track(null, "sqs-9#2"));
        gate.check(track(null, null));
        assertThat(calls).containsExactly("claim test#sqs-9#2");
    }

    @Test
    void upsertsNeverTouchTheStore() {
        assertThat(gate.check(Candidates.of("{\"type\":\"identify\",\"messageId\":\"m-4\"}"))).isNull();
        assertThat(calls).isEmpty();
    }

    @Test
    void aStoreThatCannotAnswer_letsTheEventThroughUnclaimed() {
        DuplicateGate<JsonNode> down = new DuplicateGate<>(new TestDestination(), new DeliveredEvents() {
            @Override public Claim claim(String key) { return Claim.UNAVAILABLE; }
            @Override public void complete(String key) { calls.add("complete"); }
            @Override public void release(String key) { calls.add("release"); }
        });
        Candidate<JsonNode> c = track("m-5", null);
        assertThat(down.check(c)).isNull();
        c.settle(true);
        assertThat(calls).isEmpty();
    }
}
