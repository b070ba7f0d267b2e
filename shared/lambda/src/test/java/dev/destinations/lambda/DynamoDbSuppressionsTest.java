package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The suppression store on a real table (moto_server; LocalStack's DynamoDB cannot run on this host, so it skips there). */
@Tag(AwsEndpoint.TAG)
class DynamoDbSuppressionsTest {
    static final byte[] KEY = "a-stack-erasure-key".getBytes(StandardCharsets.UTF_8);
    static MotoServer aws;
    static DynamoDbClient dynamoDb;
    static String table;
    final AtomicLong now = new AtomicLong(1_800_000_000L);
    final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        org.junit.jupiter.api.Assumptions.assumeTrue(AwsEndpoint.hasDynamoDb(aws.endpoint()), AwsEndpoint.NO_DYNAMODB);
        dynamoDb = StoreClients.at(aws.endpoint());
        table = MotoServer.createErasureTable(dynamoDb, "erasure-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    DynamoDbSuppressions store(String destination, Duration suppressFor) {
        return new DynamoDbSuppressions(() -> dynamoDb, table, destination, () -> KEY, suppressFor, Duration.ofDays(400), now::get, failures::add);
    }

    @Test
    void aSuppressedUser_isSuppressedAtItsDestinationOnly_untilLifted() {
        String user = "user-" + UUID.randomUUID();
        DynamoDbSuppressions custify = store("custify", null);
        assertThat(custify.suppressed(user)).isFalse();

        custify.suppress(List.of(user));
        now.addAndGet(10L * 365 * 86_400);

        assertThat(custify.suppressed(user)).as("without SUPPRESSION_DAYS it never expires").isTrue();
        assertThat(store("user-com", null).suppressed(user)).as("another destination's suppressions are its own").isFalse();
        custify.lift(List.of(user));
        assertThat(custify.suppressed(user)).isFalse();
    }

    @Test
    void withSuppressionDays_itEndsThen_evenBeforeTtlDeletesTheItem() {
        String user = "user-" + UUID.randomUUID();
        DynamoDbSuppressions store = store("custify", Duration.ofDays(30));
        store.suppress(List.of(user));
        now.addAndGet(Duration.ofDays(30).toSeconds() - 1);
        assertThat(store.suppressed(user)).isTrue();
        now.addAndGet(2);
        assertThat(store.suppressed(user)).isFalse();
    }

    @Test
    void theTableHoldsAKeyedHashOfTheId_neverTheId() {
        String user = "ada@example.com";
        store("custify", null).suppress(List.of(user));
        String hash = DynamoDbSuppressions.hash(KEY, user);
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("custify#" + hash),
                "sk", AttributeValue.fromS("suppressed")))).item();
        assertThat(item).isNotEmpty();
        assertThat(item.toString()).doesNotContain(user);
        assertThat(hash).hasSize(64).isNotEqualTo(DynamoDbSuppressions.hash("another-key".getBytes(StandardCharsets.UTF_8), user));
    }

    @Test
    void aReceipt_isOneItemPerRequest_eachDestinationItsOwnCalls_hashedIdsOnly() {
        String request = "del-" + UUID.randomUUID();
        Instant at = Instant.parse("2026-12-06T21:00:00Z");
        store("custify", null).receipt(request, List.of("u-1", "u-2"), List.of(new Erasure.Call("u-1", "DELETE /people?user_id={userId}", 200, at),
                new Erasure.Call("u-2", "DELETE /people?user_id={userId}", 404, at)));
        store("user-com", null).receipt(request, List.of("u-1", "u-2"), List.of(new Erasure.Call("u-1", "DELETE /users-by-id/{custom_id}/", 204, at)));

        var items = dynamoDb.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk = :s")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("receipts"), ":s", AttributeValue.fromS(request)))).items();
        assertThat(items).hasSize(1);
        Map<String, AttributeValue> receipt = items.get(0);
        assertThat(receipt.get("users").ss()).containsExactlyInAnyOrder(DynamoDbSuppressions.hash(KEY, "u-1"), DynamoDbSuppressions.hash(KEY, "u-2"));
        assertThat(receipt.get("custify").l()).hasSize(2);
        assertThat(receipt.get("custify").l().get(1).m().get("status").n()).isEqualTo("404");
        assertThat(receipt.get("user-com").l().get(0).m().get("call").s()).isEqualTo("DELETE /users-by-id/{custom_id}/");
        assertThat(receipt.get("user-com").l().get(0).m().get("at").s()).isEqualTo("2026-12-06T21:00:00Z");
        assertThat(Long.parseLong(receipt.get("expires_at").n())).isEqualTo(now.get() + Duration.ofDays(400).toSeconds());
        assertThat(receipt.toString()).doesNotContain("u-1").doesNotContain("u-2");
    }

    @Test
    void aLaterAttemptOfTheSameRequest_appendsItsCalls_soTheReceiptKeepsEveryCallMade() {
        String request = "del-" + UUID.randomUUID();
        Instant first = Instant.parse("2026-12-06T21:00:00Z");
        Instant second = Instant.parse("2026-12-06T21:01:00Z");
        store("custify", null).receipt(request, List.of("u-1"), List.of(new Erasure.Call("u-1", "DELETE /people?user_id={userId}", 200, first)));
        // the second pass (D62): the user was recreated by a write in flight, and is deleted again
        store("custify", null).receipt(request, List.of("u-1"), List.of(new Erasure.Call("u-1", "DELETE /people?user_id={userId}", 200, second)));

        Map<String, AttributeValue> receipt = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("receipts"),
                "sk", AttributeValue.fromS(request)))).item();
        assertThat(receipt.get("custify").l()).extracting(c -> c.m().get("at").s()).containsExactly(first.toString(), second.toString());
        assertThat(receipt.get("users").ss()).containsExactly(DynamoDbSuppressions.hash(KEY, "u-1"));
    }

    @Test
    void aTableThatCannotBeRead_failsClosed_namingOperationAndCodeOnly() {
        DynamoDbClient unreachable = StoreClients.unreachable();
        DynamoDbSuppressions down = new DynamoDbSuppressions(() -> unreachable, table, "custify", () -> KEY, null, Duration.ofDays(400), now::get, failures::add);
        DynamoDbSuppressions missing = new DynamoDbSuppressions(() -> dynamoDb, "no-such-table", "custify", () -> KEY, null, Duration.ofDays(400), now::get, failures::add);
        DynamoDbSuppressions noKey = new DynamoDbSuppressions(() -> dynamoDb, table, "custify", () -> { throw new IllegalStateException("no secret"); },
                null, Duration.ofDays(400), now::get, failures::add);

        for (DynamoDbSuppressions store : List.of(down, missing, noKey)) {
            assertThatThrownBy(() -> store.suppressed("user-42")).isInstanceOfSatisfying(Failure.class,
                    f -> assertThat(f.reason()).isEqualTo(Reason.SUPPRESSION_UNAVAILABLE));
        }
        assertThat(failures).hasSize(3).allSatisfy(f -> assertThat(f).doesNotContain("user-42"));
        assertThat(failures.get(1)).isEqualTo("GetItem: ResourceNotFoundException");
        assertThat(failures.get(2)).isEqualTo("GetSecretValue: IllegalStateException");
    }
}
