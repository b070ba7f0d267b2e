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
        // 10 final requests and 3 company writes: one call per event, two per group
        assertThat(calls()).hasSize(13);
    }

    @Test
    void aUserDeletedAtTheVendor_404OnItsRememberedId_isLookedUpAgainAndRecreated() throws Exception {
        String identify = "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"plan\":\"pro\"}}";
        run(List.of(identify));
        assertThat(calls()).containsExactly("GET /users-by-id/u1/", "PUT /users/101/");
        vendor.delete("u1");

        assertThat(run(List.of(identify)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("PUT /users/101/", "GET /users-by-id/u1/", "POST /users/");
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.vendorCalls()).isEqualTo(3));

        // the new id is remembered: the next event goes straight to it
        run(List.of("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"login\",\"timestamp\":\"2026-11-24T10:00:00.000Z\"}"));
        assertThat(calls()).containsExactly("POST /events/");
        int newId = Json.parse(stub.requests().get(0).body()).get("user_id").asInt();
        assertThat(newId).isNotEqualTo(101);
    }

    @Test
    void aCompanyDeletedAtTheVendor_404OnItsRememberedId_isLookedUpAgainAndRecreated() {
        String group = "{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex\"}}";
        run(List.of(group));
        assertThat(calls()).containsExactly("GET /users-by-id/u2/", "GET /companies-by-id/g2/", "PUT /companies/201/",
                "POST /companies/201/add_member/");
        vendor.deleteCompany("g2");

        assertThat(run(List.of(group)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).first().isEqualTo("PUT /companies/201/");
        assertThat(calls().subList(1, calls().size())).containsExactly("GET /users-by-id/u2/", "GET /companies-by-id/g2/",
                "POST /companies/", "POST /companies/" + vendorCompanyId("g2") + "/add_member/");
    }

    private String vendorCompanyId(String customId) {
        return String.valueOf(vendor.companyId(customId));
    }

    @Test
    void aUserNotFound_isNotRemembered_theNextBatchLooksAgain() {
        String track = "{\"type\":\"track\",\"userId\":\"new\",\"event\":\"login\",\"timestamp\":\"2026-11-24T10:00:00.000Z\"}";
        assertThat(run(List.of(track)).getBatchItemFailures()).hasSize(1); // D11: its identify may still be queued
        vendor.user("new", 900, null); // the identify went through another instance
        assertThat(run(List.of(track)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("GET /users-by-id/new/", "POST /events/");
    }

    @Test
    void aSteadyStreamForKnownUsers_costsAtMost1point2CallsPerEvent() {
        SteadyStream.Tally t = SteadyStream.run(20, (n, batch) -> {
            assertThat(run(batch).getBatchItemFailures()).isEmpty();
            if (n >= SteadyStream.WARMUP_BATCHES) assertThat(calls()).noneMatch(c -> c.startsWith("GET "));
            return stub.requests().size();
        });
        System.out.printf("user-com steady stream: %.2f vendor calls per event%n", t.steadyPerEvent());
        // per batch of 10: 9 events of one call, 1 group of two (company write, add_member)
        assertThat(t.steadyPerEvent()).isLessThanOrEqualTo(1.2).isEqualTo(1.1);
    }
}
