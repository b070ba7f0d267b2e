package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.DeliveredEvents.Claim;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB store's claim rules on a real table (moto_server, and LocalStack in bin/test's second pass). */
@Tag(AwsEndpoint.TAG)
class DynamoDbDeliveredEventsTest {
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
        table = MotoServer.createDedupTable(dynamoDb, "delivered-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    DynamoDbDeliveredEvents store(DynamoDbClient client, String tableName) {
        return new DynamoDbDeliveredEvents(() -> client, tableName, Duration.ofSeconds(60), Duration.ofHours(24), now::get, failures::add);
    }

    static String key() {
        return "custify#" + UUID.randomUUID();
    }

    @Test
    void claimCompleteClaim_isAlreadyDelivered_andTheMarkerExpiresAfterTheWindow() {
        DynamoDbDeliveredEvents store = store(dynamoDb, table);
        String k = key();
        assertThat(store.built()).as("no client before the first claim").isFalse();
        assertThat(store.claim(k)).isEqualTo(Claim.CLAIMED);
        store.complete(k);
        assertThat(store.claim(k)).isEqualTo(Claim.ALREADY_DELIVERED);

        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(k)))).item();
        assertThat(item.get("state").s()).isEqualTo("delivered");
        assertThat(Long.parseLong(item.get("expires_at").n())).as("the TTL attribute: the window").isEqualTo(now.get() + 86_400);

        now.addAndGet(86_400);
        assertThat(store.claim(k)).as("past the window, before TTL has deleted it").isEqualTo(Claim.CLAIMED);
        assertThat(failures).isEmpty();
    }

    @Test
    void anUncompletedClaim_isInFlight_untilItExpires_andReleaseFreesIt() {
        DynamoDbDeliveredEvents store = store(dynamoDb, table);
        String k = key();
        assertThat(store.claim(k)).isEqualTo(Claim.CLAIMED);
        assertThat(store.claim(k)).isEqualTo(Claim.IN_FLIGHT);
        now.addAndGet(60);
        assertThat(store.claim(k)).as("an instance died mid-write: its claim expired").isEqualTo(Claim.CLAIMED);
        store.release(k);
        assertThat(store.claim(k)).isEqualTo(Claim.CLAIMED);
        store.complete(k);
        store.release(k);
        assertThat(store.claim(k)).as("release never drops a delivered marker").isEqualTo(Claim.ALREADY_DELIVERED);
        assertThat(failures).isEmpty();
    }

    @Test
    void aMissingTableOrAnUnreachableEndpoint_isUnavailable_andReportedWithoutTheKey() {
        String k = key();
        assertThat(store(dynamoDb, "no-such-table").claim(k)).isEqualTo(Claim.UNAVAILABLE);
        DynamoDbClient nowhere = StoreClients.unreachable();
        DynamoDbDeliveredEvents unreachable = store(nowhere, table);
        assertThat(unreachable.claim(k)).isEqualTo(Claim.UNAVAILABLE);
        unreachable.complete(k);
        unreachable.release(k);
        assertThat(failures).hasSize(4).allSatisfy(f -> assertThat(f).doesNotContain(k));
        assertThat(failures.get(0)).isEqualTo("claim: ResourceNotFoundException");
        assertThat(failures.subList(1, 4)).extracting(f -> f.substring(0, f.indexOf(':'))).containsExactly("claim", "complete", "release");
    }
}
