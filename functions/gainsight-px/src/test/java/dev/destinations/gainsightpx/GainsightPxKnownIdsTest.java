package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.SteadyStream;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one instance remembers across batches (D24): which users and accounts exist, so a known user's group skips
 * both checks; a 404 from a write that relied on it makes the event check again.
 */
class GainsightPxKnownIdsTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();
    static final String GROUP = "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"a\",\"traits\":{\"name\":\"A\"}}";
    GainsightPxSandbox px;
    InMemorySqs sqs;
    GainsightPxHandler handler;

    @BeforeEach
    void setUp() {
        px = new GainsightPxSandbox().withUsers("u", "u2").withAccounts("a", "globex").withUsers(SteadyStream.USERS.toArray(String[]::new))
                .withAccounts(SteadyStream.GROUPS.toArray(String[]::new));
        sqs = new InMemorySqs();
        handler = GainsightPxBatchMemoTest.handler(sqs, stub.baseUrl(), "10000");
    }

    private SQSBatchResponse run(List<String> bodies) {
        stub.reset();
        stub.respond(px);
        return handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds());
    }

    private List<String> calls() {
        return stub.requests().stream().map(r -> r.method() + " " + r.rawPath()).toList();
    }

    @Test
    void theSecondBatchForTheSameUsers_makesNoCheck() {
        assertThat(run(GainsightPxBatchMemoTest.MIXED_BATCH).getBatchItemFailures()).isEmpty();
        assertThat(calls()).anyMatch(c -> c.startsWith("GET "));
        assertThat(run(GainsightPxBatchMemoTest.MIXED_BATCH).getBatchItemFailures()).isEmpty();
        assertThat(calls()).noneMatch(c -> c.startsWith("GET "));
        // identify 4 x PUT, track 3 x POST, group 3 x (PUT account, PUT user)
        assertThat(calls()).hasSize(13);
    }

    @Test
    void anAccountDeletedAtTheVendor_404OnTheRememberedAccount_isCheckedAgainAndCreated() {
        run(List.of(GROUP));
        assertThat(calls()).containsExactly("GET /v1/users/u", "GET /v1/accounts/a", "PUT /v1/accounts/a", "PUT /v1/users/u");
        assertThat(run(List.of(GROUP)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("PUT /v1/accounts/a", "PUT /v1/users/u");
        px.removeAccount("a");

        assertThat(run(List.of(GROUP)).getBatchItemFailures()).isEmpty();
        assertThat(calls()).containsExactly("PUT /v1/accounts/a",
                "GET /v1/users/u", "GET /v1/accounts/a", "POST /v1/accounts", "PUT /v1/users/u");
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void aUserDeletedAtTheVendor_404OnTheRememberedUser_isCheckedAgain_andIsNotReadyYet() {
        run(List.of(GROUP));
        px.removeUser("u");

        SQSBatchResponse response = run(List.of(GROUP));
        assertThat(response.getBatchItemFailures()).hasSize(1); // D11: its identify may still be queued
        assertThat(calls()).containsExactly("PUT /v1/accounts/a", "PUT /v1/users/u", "GET /v1/users/u");
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void aSteadyStreamForKnownUsers_costsAtMost1point2CallsPerEvent() {
        SteadyStream.Tally t = SteadyStream.run(20, (n, batch) -> {
            assertThat(run(batch).getBatchItemFailures()).isEmpty();
            if (n >= SteadyStream.WARMUP_BATCHES) assertThat(calls()).noneMatch(c -> c.startsWith("GET "));
            return stub.requests().size();
        });
        double handled = t.steadyEvents() * (1 - SteadyStream.perBatch("page") / 10.0); // PX skips page (D12): no call
        System.out.printf("gainsight-px steady stream: %.2f vendor calls per event, %.3f per event it handles%n",
                t.steadyPerEvent(), t.steadyCalls() / handled);
        // per batch of 10: 2 identify PUTs, 5 track POSTs, 1 group of two PUTs, 2 pages skipped
        assertThat(t.steadyPerEvent()).isLessThanOrEqualTo(1.2).isEqualTo(0.9);
        assertThat(t.steadyCalls() / handled).isLessThanOrEqualTo(1.2);
    }
}
