package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.delivery.Verdict;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.SteadyStream;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one instance remembers across batches (D24): the ids of users and companies it found or wrote, so a known
 * user's event is one call; a 404 from a write to a remembered id makes the event look the user up again.
 */
class UserComKnownIdsTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    final List<Verdict> outcomes = Collections.synchronizedList(new ArrayList<>());
    UserComSandbox vendor;
    UserComHandler handler;

    @BeforeEach
    void setUp() {
        vendor = new UserComSandbox("/api/public");
        for (int i = 0; i < SteadyStream.USERS.size(); i++) vendor.user(SteadyStream.USERS.get(i), 300 + i, null);
        vendor.user("u1", 101, "ada@example.com").user("u2", 102, null).company("g2", 201);
        stub.respond(vendor);
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{\"appSubdomain\":\"commander\"}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + "/api/public");
        handler = new UserComHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("k"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, t, r, o) -> outcomes.add(o)));
    }

    private SQSBatchResponse run(List<String> bodies) {
        stub.reset();
        stub.respond(vendor);
        outcomes.clear();
        return handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());
    }

    private List<String> calls() {
        return stub.requests().stream().map(r -> r.method() + " " + r.rawPath().replace("/api/public", "")).toList();
    }

    @Test
    void theSecondBatchForTheSameUsers_makesNoLookup() {
        assertThat(run(UserComBatchMemoTest.MIXED_BATCH).getBatchItemFailures()).isEmpty();
        assertThat(calls()).anyMatch(c -> c.startsWith("GET "));
        assertThat(run(UserComBatchMemoTest.MIXED_BATCH).getBatchItemFailures()).isEmpty();
        assertThat(calls()).noneMatch(c -> c.startsWith("GET "));
        // 7 events of one call; of the 3 groups, the one repeating the last write of g2 for u2 sends nothing (D34),
        // the two that rename g1 again write it and add the member
        assertThat(calls()).hasSize(11);
    }

    /** A user found by a lookup (here the email option) and remembered; deleted at the vendor, its PUT answers 404. */
    @Test
    void aUserDeletedAtTheVendor_404OnItsRememberedId_isLookedUpAgainAndRecreated() throws Exception {
        String identify = "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\",\"plan\":\"pro\"},"
                + "\"integrations\":{\"user\":{\"lookup\":\"email\"}}}";
        run(List.of(identify));
        assertThat(calls()).containsExactly("GET /users/search/", "PUT /users/101/");
        vendor.delete("u1");

        assertThat(run(List.of(identify)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("PUT /users/101/", "GET /users/search/", "POST /users/");
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.vendorCalls()).isEqualTo(3));

        // the new id is remembered: the next group of u1 adds it, not the deleted one
        run(List.of("{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex\"}}"));
        assertThat(calls()).containsExactly("PUT /companies-by-id/g2/", "POST /companies/201/add_member/");
        int newId = Json.parse(stub.requests().get(1).body()).get("user_id").asInt();
        assertThat(newId).isNotEqualTo(101);
    }

    /** A company is written by its custom id (D32): deleted at the vendor, the write answers 404 and it is created again. */
    @Test
    void aCompanyDeletedAtTheVendor_isCreatedAgainByTheNextGroup() {
        run(List.of("{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex\"}}"));
        assertThat(calls()).containsExactly("GET /users-by-id/u2/", "PUT /companies-by-id/g2/", "POST /companies/201/add_member/");
        vendor.deleteCompany("g2");

        assertThat(run(List.of("{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex Corp\"}}"))
                .getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("PUT /companies-by-id/g2/", "POST /companies/",
                "POST /companies/" + vendorCompanyId("g2") + "/add_member/");
    }

    private String vendorCompanyId(String customId) {
        return String.valueOf(vendor.companyId(customId));
    }

    /** D34: the same group again sends nothing; a changed company body, or another user, is written. */
    @Test
    void aGroupRepeatingWhatThisInstanceWrote_sendsNothing_D34() {
        String group = "{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex\"}}";
        run(List.of(group));
        assertThat(calls()).hasSize(3);
        assertThat(run(List.of(group)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).isEmpty();
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.delivered()).isTrue());

        run(List.of(group.replace("Globex", "Globex Corp")));
        assertThat(calls()).containsExactly("PUT /companies-by-id/g2/", "POST /companies/201/add_member/");
        run(List.of(group.replace("\"u2\"", "\"u1\"").replace("Globex", "Globex Corp")));
        assertThat(calls()).containsExactly("GET /users-by-id/u1/", "PUT /companies-by-id/g2/", "POST /companies/201/add_member/");
    }

    @Test
    void aUserNotFound_isNotRemembered_theNextBatchLooksAgain() {
        String track = "{\"type\":\"track\",\"userId\":\"new\",\"event\":\"login\",\"timestamp\":\"2026-11-24T10:00:00.000Z\"}";
        assertThat(run(List.of(track)).getBatchItemFailures()).hasSize(1); // D11: its identify may still be queued
        assertThat(calls()).containsExactly("POST /users-by-id/new/events/");
        vendor.user("new", 900, null); // the identify went through another instance
        assertThat(run(List.of(track)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("POST /users-by-id/new/events/");
    }

    /**
     * The target of D32-D34: at most one call per event once the users are known. A user is read at most once in the
     * instance's life (a page needs its user key, which no write answers).
     */
    @Test
    void aSteadyStreamForKnownUsers_costsAtMostOneCallPerEvent() {
        List<String> reads = new ArrayList<>();
        SteadyStream.Tally t = SteadyStream.run(20, (n, batch) -> {
            assertThat(run(batch).getBatchItemFailures()).isEmpty();
            calls().stream().filter(c -> c.startsWith("GET ")).forEach(reads::add);
            return stub.requests().size();
        });
        System.out.printf("user-com steady stream: %.2f vendor calls per event%n", t.steadyPerEvent());
        assertThat(reads).doesNotHaveDuplicates();
        assertThat(t.steadyPerEvent()).isLessThanOrEqualTo(1.0);
    }
}
