package dev.destinations.usercom;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Vendor calls for one mixed batch (10 events, 3 users, identify/track/page/group) with the batch memo, against the
 * same events each in a batch of its own with nothing remembered across batches, which is what the reference does
 * (one lookup per event). The vendor is
 * stateful, so both runs see the same world: u1 and u2 exist, u3 is created by its identify, company g1 is created by
 * the first group and updated by the second, g2 exists.
 */
class UserComBatchMemoTest {
    static final String TS = "\"timestamp\":\"2026-11-24T10:00:00.000Z\"";
    static final String PAGE_CONTEXT = "\"context\":{\"page\":{\"url\":\"https://shop.example.com/pricing\",\"path\":\"/pricing\"}}";
    static final List<String> MIXED_BATCH = List.of(
            "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\",\"plan\":\"pro\"}," + TS + "}",
            "{\"type\":\"track\",\"userId\":\"u2\",\"event\":\"login\",\"properties\":{\"via\":\"sso\"}," + TS + "}",
            "{\"type\":\"identify\",\"userId\":\"u3\",\"traits\":{\"email\":\"grace@example.com\"}," + TS + "}",
            "{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"login\"," + TS + "}",
            "{\"type\":\"page\",\"userId\":\"u2\"," + PAGE_CONTEXT + "," + TS + "}",
            "{\"type\":\"page\",\"userId\":\"u1\"," + PAGE_CONTEXT + "," + TS + "}",
            "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\",\"traits\":{\"name\":\"Acme\"}," + TS + "}",
            "{\"type\":\"track\",\"userId\":\"u3\",\"event\":\"signed up\"," + TS + "}",
            "{\"type\":\"group\",\"userId\":\"u2\",\"groupId\":\"g2\",\"traits\":{\"name\":\"Globex\"}," + TS + "}",
            "{\"type\":\"group\",\"userId\":\"u1\",\"groupId\":\"g1\",\"traits\":{\"name\":\"Acme Inc\"}," + TS + "}");

    record Count(int vendorCalls, Map<String, Outcome> results) {}

    /** Runs the batches through a fresh handler and vendor, nothing remembered across batches; returns the vendor requests. */
    static Count count(List<SQSEvent> batches) {
        return count(batches, "0");
    }

    /** @param knownIds LOOKUP_CACHE_MAX_ENTRIES: "0" remembers nothing across batches */
    static Count count(List<SQSEvent> batches, String knownIds) {
        try (VendorStub stub = VendorStub.start()) {
            stub.respond(new UserComSandbox("/api/public").user("u1", 101, "ada@example.com").user("u2", 102, null).company("g2", 201));
            Map<String, Outcome> results = new ConcurrentHashMap<>();
            Map<String, String> env = Map.of("DESTINATION_SETTINGS", "{\"appSubdomain\":\"commander\"}", "API_KEY_SECRET_ID", "arn:s",
                    "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl() + "/api/public",
                    "LOOKUP_CACHE_MAX_ENTRIES", knownIds);
            UserComHandler handler = new UserComHandler(new DestinationHandler.Wiring(env, new InMemorySqs(), FixedSecret.of("k"),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (c, m, t, r, o) -> results.put(m.getMessageId(), r)));
            for (SQSEvent batch : batches) {
                SQSBatchResponse response = handler.handleRequest(batch, TestContext.of30Seconds());
                assertThat(response.getBatchItemFailures()).isEmpty();
            }
            return new Count(stub.requests().size(), results);
        }
    }

    static SQSEvent oneBatch() {
        return SqsEvents.ofBodies(MIXED_BATCH.toArray(String[]::new));
    }

    static List<SQSEvent> oneEventPerBatch() {
        return java.util.stream.IntStream.range(0, MIXED_BATCH.size())
                .mapToObj(i -> SqsEvents.of(SqsEvents.message("m" + (i + 1), MIXED_BATCH.get(i), 1))).toList();
    }

    @Test
    void mixedBatch_withTheMemo_makesFewerVendorCallsThanOneEventPerBatch() {
        Count before = count(oneEventPerBatch());
        Count after = count(List.of(oneBatch()));
        System.out.printf("user-com mixed batch (10 events, 3 users): %d vendor calls one event per batch (reference), %d with the batch memo%n",
                before.vendorCalls(), after.vendorCalls());
        assertThat(before.results()).hasSize(10).allSatisfy((id, r) -> assertThat(r).isEqualTo(Outcome.DELIVERED));
        assertThat(after.results()).hasSize(10).allSatisfy((id, r) -> assertThat(r).isEqualTo(Outcome.DELIVERED));
        // one event per batch: 10 final requests, 4 company writes (g1 answers 404 once, then is created), 5 user
        // lookups (2 pages, 3 groups); with the memo: the lookups of u1 and u2 once each (u1's page reads its key), and
        // the groups of u1 find the user the upsert answered (D32). Before D32: 26 (the reference's count) and 18.
        assertThat(before.vendorCalls()).isEqualTo(19);
        assertThat(after.vendorCalls()).isEqualTo(16);
    }

    /** {@code java -cp ... dev.destinations.usercom.UserComBatchMemoTest}: prints the two counts. */
    public static void main(String[] args) {
        System.out.println("one event per batch: " + count(oneEventPerBatch()).vendorCalls() + " vendor calls");
        System.out.println("one batch, memo:     " + count(List.of(oneBatch())).vendorCalls() + " vendor calls");
    }
}
