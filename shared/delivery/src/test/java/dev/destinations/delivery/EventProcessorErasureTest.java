package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the processor erases (D48-D51): deletion suppresses first and leaves a receipt; suppressed users' events are skipped; the store fails closed. */
class EventProcessorErasureTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    /** The store in memory; {@code down} makes every call fail as DynamoDB's would. */
    static final class Store implements Suppressions {
        final Set<String> suppressed = ConcurrentHashMap.newKeySet();
        final List<String> receipts = new ArrayList<>();
        volatile boolean down;

        private void check() {
            if (down) throw new Failure(Reason.SUPPRESSION_UNAVAILABLE, "suppression store unavailable (GetItem: ResourceNotFoundException)");
        }

        @Override public boolean suppressed(String userId) { check(); return suppressed.contains(userId); }
        @Override public void suppress(List<String> userIds) { check(); suppressed.addAll(userIds); }
        @Override public void lift(List<String> userIds) { check(); userIds.forEach(suppressed::remove); }

        @Override
        public synchronized void receipt(String requestId, List<String> userIds, List<Erasure.Call> calls) {
            check();
            StringBuilder r = new StringBuilder(requestId).append(':');
            for (Erasure.Call c : calls) r.append(' ').append(c.userId()).append(' ').append(c.call()).append(' ').append(c.status());
            receipts.add(r.toString());
        }
    }

    /** Track and identify as TestDestination; a deletion deletes each user at /users/{id}. */
    static final class Deleting implements Destination<JsonNode> {
        final TestDestination inner = new TestDestination();
        @Override public String slug() { return "test"; }
        @Override public List<String> integrationNames() { return List.of("Test"); }
        @Override public Set<EventType> handledTypes() { return EnumSet.of(EventType.TRACK, EventType.IDENTIFY, EventType.USER_DELETION); }
        @Override public String missingTypeMessage() { return "Type missing"; }
        @Override public String unknownTypeMessage(String type) { return "Type unknown"; }
        @Override public JsonNode settings(JsonNode merged) { return merged; }
        @Override public Set<String> settingsKeys() { return Set.of(); }
        @Override public Map<String, String> headers(String apiKey) { return Map.of("X-Key", apiKey); }
        @Override public String baseUrl(JsonNode settings, String override) { return override; }

        @Override
        public void deliver(Event event, EventType type, JsonNode settings, Delivery d) {
            if (type != EventType.USER_DELETION) {
                inner.deliver(event, type, settings, d);
                return;
            }
            for (String id : Erasure.userIds(event)) {
                d.deleteUser(id, "DELETE /users/{id}", VendorRequest.delete(d.baseUrl() + "/users/" + UrlEncoding.pathSegment(id)), VendorClient.Step.named("delete failed"));
            }
        }
    }

    final Store store = new Store();

    EventProcessor<JsonNode> processor(Suppressions suppressions) {
        return new EventProcessor<>(new Deleting(), SettingsSource.fixed(Json.object(), "k"), new VendorHttp(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                stub.baseUrl(), Circuit.never(), RateBudget.unlimited(), KnownIds.none(), DeliveredEvents.none(), suppressions);
    }

    Verdict process(EventProcessor<JsonNode> p, String body) {
        return p.process(MessageBody.readOne(body), "sqs-1", new BatchMemo(), Long.MAX_VALUE);
    }

    static String deletion(String... ids) {
        StringBuilder users = new StringBuilder();
        for (String id : ids) users.append(users.isEmpty() ? "" : ",").append("{\"userId\":\"").append(id).append("\"}");
        return "{\"type\":\"userDeletion\",\"messageId\":\"del-1\",\"userAttributes\":[" + users + "]}";
    }

    @Test
    void aDestinationThatCannotDeleteAtItsVendor_stillSuppresses_andItsReceiptListsNoCall_D64() {
        EventProcessor<JsonNode> p = new EventProcessor<>(new TestDestination(), SettingsSource.fixed(Json.object(), "k"),
                new VendorHttp(Duration.ofSeconds(1), Duration.ofSeconds(2)), stub.baseUrl(), Circuit.never(), RateBudget.unlimited(),
                KnownIds.none(), DeliveredEvents.none(), store);
        assertThat(p.deletesAtVendor()).isFalse();

        Verdict v = process(p, deletion("u1"));

        assertThat(v.delivered()).isTrue();
        assertThat(v.vendorCalls()).isZero();
        assertThat(stub.requests()).as("no vendor call").isEmpty();
        assertThat(store.suppressed).containsExactly("u1");
        assertThat(store.receipts).containsExactly("del-1:");
        assertThat(process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Late\"}").reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aDeletion_suppressesTheUsers_deletesThemAtTheVendor_andLeavesAReceiptOfEachCall() {
        stub.respond(r -> r.path().equals("/users/u2") ? VendorStub.Reply.json(404, "{}") : VendorStub.Reply.status(204));
        EventProcessor<JsonNode> p = processor(store);

        Verdict v = process(p, deletion("u1", "u2"));

        assertThat(v.delivered()).isTrue();
        assertThat(v.vendorCalls()).isEqualTo(2);
        assertThat(store.suppressed).containsExactlyInAnyOrder("u1", "u2");
        assertThat(store.receipts).containsExactly("del-1: u1 DELETE /users/{id} 204 u2 DELETE /users/{id} 404"); // unknown to the vendor = done
    }

    @Test
    void anEventOfASuppressedUser_isSkippedBeforeAnyVendorCall_andOthersAreDelivered() {
        EventProcessor<JsonNode> p = processor(store);
        store.suppressed.add("u1");

        Verdict track = process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"x\"}");
        Verdict byTraits = process(p, "{\"type\":\"identify\",\"traits\":{\"userId\":\"u1\"}}"); // the generic userId, not only the top level
        Verdict other = process(p, "{\"type\":\"track\",\"userId\":\"u3\",\"event\":\"x\"}");

        assertThat(track.reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(track.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(byTraits.reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(track.detail()).doesNotContain("u1");
        assertThat(other.delivered()).isTrue();
        assertThat(stub.requests()).extracting(r -> r.body()).containsExactly("{\"user\":\"u3\"}");
    }

    @Test
    void suppressAndUnsuppress_startAndLiftTheSuppression_withoutAVendorCall() {
        EventProcessor<JsonNode> p = processor(store);
        assertThat(process(p, "{\"type\":\"suppress\",\"userAttributes\":[{\"userId\":\"u1\"}]}").delivered()).isTrue();
        assertThat(process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"x\"}").reason()).isEqualTo(Reason.SUPPRESSED);

        assertThat(process(p, "{\"type\":\"Unsuppress\",\"userAttributes\":[{\"userId\":\"u1\"}]}").delivered()).isTrue();
        assertThat(process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"x\"}").delivered()).isTrue();
        assertThat(stub.requests()).hasSize(1);
        assertThat(store.receipts).as("only deletions leave receipts").isEmpty();
    }

    @Test
    void whenTheStoreCannotBeRead_theEventIsRetried_neverDelivered() {
        EventProcessor<JsonNode> p = processor(store);
        store.down = true;

        Verdict v = process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"x\"}");

        assertThat(v.reason()).isEqualTo(Reason.SUPPRESSION_UNAVAILABLE);
        assertThat(v.disposition()).isEqualTo(Reason.Disposition.RETRY);
        assertThat(stub.requests()).isEmpty();
        assertThat(process(p, deletion("u1")).reason()).as("nor is a deletion done unrecorded").isEqualTo(Reason.SUPPRESSION_UNAVAILABLE);
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aFailedDeletion_isRetried_andItsReceiptShowsTheFailingCall() {
        stub.respond(r -> VendorStub.Reply.json(503, "{}"));
        Verdict v = process(processor(store), deletion("u1"));

        assertThat(v.reason()).isEqualTo(Reason.VENDOR_UNAVAILABLE);
        assertThat(store.suppressed).as("suppressed before the vendor call").containsExactly("u1");
        assertThat(store.receipts).containsExactly("del-1: u1 DELETE /users/{id} 503");
    }

    @Test
    void aDeletionRecordWithoutAUserId_isRejectedBeforeAnythingIsDone() {
        Verdict v = process(processor(store), "{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"u1\"},{\"email\":\"x\"}]}");
        assertThat(v.reason()).isEqualTo(Reason.VALIDATION);
        assertThat(v.detail()).isEqualTo("User id for deletion not present");
        assertThat(store.suppressed).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void withoutAStore_aDeletionStillDeletes_butSuppressIsRetriedAsConfiguration() {
        EventProcessor<JsonNode> p = processor(Suppressions.none());
        assertThat(process(p, deletion("u1")).delivered()).isTrue();
        assertThat(process(p, "{\"type\":\"suppress\",\"userAttributes\":[{\"userId\":\"u1\"}]}").reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(process(p, "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"x\"}").delivered()).isTrue();
    }
}
