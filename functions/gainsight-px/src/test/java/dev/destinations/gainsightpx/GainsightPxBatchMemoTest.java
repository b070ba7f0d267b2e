package dev.destinations.gainsightpx;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batch memo: a user or account is checked once per SQS batch, not once per event. Measures the vendor calls of
 * a mixed batch (10 events, 3 users, identify/track/group) delivered as one batch and one event per batch with
 * nothing remembered across batches (every event on its own, as the reference transforms them), and prints both.
 */
class GainsightPxBatchMemoTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    /** u2 and the account globex exist at the start; u1, u3 and acme are created by the batch. */
    static final List<String> MIXED_BATCH = List.of(
            "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"u1@example.com\"},\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}",
            "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"acme\",\"traits\":{\"name\":\"Acme\"}}",
            "{\"type\":\"identify\",\"userId\":\"u2\",\"traits\":{\"email\":\"u2@example.com\"}}",
            "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"plan\":\"pro\"}}",
            "{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"acme\",\"traits\":{\"name\":\"Acme\"}}",
            "{\"type\":\"track\",\"userId\":\"u3\",\"event\":\"Viewed\"}",
            "{\"type\":\"identify\",\"userId\":\"u3\",\"traits\":{\"email\":\"u3@example.com\"},\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"type\":\"group\",\"userId\":\"u3\",\"groupId\":\"globex\",\"traits\":{\"name\":\"Globex\"}}",
            "{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"Viewed\"}");

    private static GainsightPxHandler handler(InMemorySqs sqs) {
        return handler(sqs, stub.baseUrl(), "10000");
    }

    /** @param knownIds LOOKUP_CACHE_MAX_ENTRIES: "0" remembers nothing across batches */
    static GainsightPxHandler handler(InMemorySqs sqs, String vendorBaseUrl, String knownIds) {
        Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{\"productTagKey\":\"AP-TEST-1\"}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", vendorBaseUrl + "/v1", "LOOKUP_CACHE_MAX_ENTRIES", knownIds);
        return new GainsightPxHandler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("{\"apiKey\":\"k\"}"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));
    }

    /** Vendor calls for the mixed batch, as one batch or one event per batch; every event must be delivered. */
    static int callsFor(boolean oneBatch) {
        stub.reset();
        stub.respond(new GainsightPxSandbox().withUsers("u2").withAccounts("globex"));
        InMemorySqs sqs = new InMemorySqs();
        GainsightPxHandler handler = handler(sqs, stub.baseUrl(), "0");
        List<String> bodies = oneBatch ? MIXED_BATCH : List.of();
        if (oneBatch) {
            assertDelivered(handler.handleRequest(SqsEvents.ofBodies(bodies.toArray(String[]::new)), TestContext.of30Seconds()), sqs);
        } else {
            for (String body : MIXED_BATCH) assertDelivered(handler.handleRequest(SqsEvents.ofBodies(body), TestContext.of30Seconds()), sqs);
        }
        return stub.requests().size();
    }

    private static void assertDelivered(SQSBatchResponse response, InMemorySqs sqs) {
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
    }

    @Test
    void mixedBatch_memoChecksEachUserAndAccountOnce_17CallsInsteadOf21() {
        int before = callsFor(false);
        int after = callsFor(true);
        System.out.println("gainsight-px mixed batch (10 events, 3 users): vendor calls one event per batch = " + before
                + ", one batch with the memo = " + after);
        // per event: identify 1 (PUT) or 2 (PUT 404 + POST, u1 and u3: D23), track 1, group 4 (GET user, GET account,
        // write account, PUT user); the reference's identify always GETs first, 23 calls in all
        assertThat(before).isEqualTo(21);
        // saved: the user GETs of the three groups, acme's second GET
        assertThat(after).isEqualTo(17);
    }

    @Test
    void sameUserTwiceInABatch_isCheckedOnce_andACreateIsRemembered() {
        stub.reset();
        GainsightPxSandbox px = new GainsightPxSandbox();
        stub.respond(px);
        InMemorySqs sqs = new InMemorySqs();
        handler(sqs).handleRequest(SqsEvents.ofBodies("{\"type\":\"identify\",\"userId\":\"n\"}", "{\"type\":\"identify\",\"userId\":\"n\"}",
                "{\"type\":\"group\",\"userId\":\"n\",\"groupId\":\"g\",\"traits\":{\"name\":\"G\"}}",
                "{\"type\":\"group\",\"userId\":\"n\",\"groupId\":\"g\",\"traits\":{\"name\":\"G2\"}}"), TestContext.of30Seconds());
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.rawPath()).containsExactly(
                "PUT /v1/users/n", "POST /v1/users", "PUT /v1/users/n",
                "GET /v1/accounts/g", "POST /v1/accounts", "PUT /v1/users/n",
                "PUT /v1/accounts/g", "PUT /v1/users/n");
    }

    @Test
    void failedLookup_isNotRemembered_theNextEventLooksAgain() {
        stub.reset();
        GainsightPxSandbox px = new GainsightPxSandbox().withUsers("u").withAccounts("a");
        java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
        stub.respond(r -> r.method().equals("GET") && gets.incrementAndGet() == 1 ? VendorStub.Reply.json(503, "{}") : px.answer(r));
        InMemorySqs sqs = new InMemorySqs();
        String group = "{\"type\":\"group\",\"userId\":\"u\",\"groupId\":\"a\",\"traits\":{\"name\":\"A\"}}";
        SQSBatchResponse response = handler(sqs).handleRequest(SqsEvents.ofBodies(group, group), TestContext.of30Seconds());
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsExactly("m1");
        assertThat(stub.requests()).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("GET /v1/users/u", "GET /v1/users/u", "GET /v1/accounts/a", "PUT /v1/accounts/a", "PUT /v1/users/u");
    }

    @Test
    void groupsOfDifferentUsersForOneNewAccount_checkAndCreateItOnce() {
        stub.reset();
        stub.respond(new GainsightPxSandbox().withUsers("a", "b", "c", "d"));
        InMemorySqs sqs = new InMemorySqs();
        String group = "{\"type\":\"group\",\"userId\":\"%s\",\"groupId\":\"shared\",\"traits\":{\"name\":\"Shared\"}}";
        SQSBatchResponse response = handler(sqs).handleRequest(SqsEvents.ofBodies(group.formatted("a"), group.formatted("b"),
                group.formatted("c"), group.formatted("d")), TestContext.of30Seconds());
        assertThat(response.getBatchItemFailures()).isEmpty();
        List<String> accountCalls = stub.requests().stream().filter(r -> r.rawPath().startsWith("/v1/accounts"))
                .map(r -> r.method() + " " + r.rawPath()).toList();
        assertThat(accountCalls).containsExactly("GET /v1/accounts/shared", "POST /v1/accounts",
                "PUT /v1/accounts/shared", "PUT /v1/accounts/shared", "PUT /v1/accounts/shared");
    }
}
