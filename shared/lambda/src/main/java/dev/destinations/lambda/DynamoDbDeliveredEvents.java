package dev.destinations.lambda;

import dev.destinations.delivery.DeliveredEvents;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link DeliveredEvents} in a DynamoDB table (template resource {@code DeliveredEventsTable}), shared by every
 * instance of every function. One item per key: {@code pk} the key, {@code state} {@code claimed} or
 * {@code delivered}, {@code expires_at} epoch seconds, the table's TTL attribute. TTL deletes lazily (within days),
 * so every condition also compares {@code expires_at} with now: an expired item counts as absent.
 *
 * <ul>
 *   <li>claim: a conditional PutItem ({@code claimed}, now + claim expiry) that succeeds when the key is absent or
 *       expired; when it fails, the item it found ({@code ReturnValuesOnConditionCheckFailure}) says delivered or in
 *       flight, with no second call;</li>
 *   <li>complete: UpdateItem to {@code delivered}, now + window;</li>
 *   <li>release: DeleteItem, only while still {@code claimed}.</li>
 * </ul>
 *
 * <p>The client is built on the first claim, not at cold start (a batch of identifies never needs it) and not by
 * SnapStart priming. It makes one attempt per call: a failure, a throttle included, is reported and answered
 * {@link Claim#UNAVAILABLE} (the event is delivered as without the store) rather than retried, because a retry
 * would delay every message of the batch while an on-demand table scales, and the cost of not retrying is only
 * that a duplicate arriving in those seconds is not caught. Never throws.
 */
public final class DynamoDbDeliveredEvents implements DeliveredEvents {
    static final String KEY = "pk";
    static final String STATE = "state";
    /** The TTL attribute (template: TimeToLiveSpecification). */
    static final String EXPIRES = "expires_at";

    private final Lazy<DynamoDbClient> client;
    private final String table;
    private final Duration claimExpiry;
    private final Duration window;
    private final LongSupplier epochSeconds;
    private final Consumer<String> onUnavailable;

    /**
     * @param build         builds the client, called once on first use
     * @param onUnavailable told each failed call, as {@code <operation>: <error code>} (no key, no personal value)
     */
    public DynamoDbDeliveredEvents(Supplier<DynamoDbClient> build, String table, Duration claimExpiry, Duration window,
                                   LongSupplier epochSeconds, Consumer<String> onUnavailable) {
        this.client = new Lazy<>(build);
        this.table = table;
        this.claimExpiry = claimExpiry;
        this.window = window;
        this.epochSeconds = epochSeconds;
        this.onUnavailable = onUnavailable;
    }

    /** The Lambda's client: url-connection HTTP client, one attempt, short timeouts (the store must never hold a message up). */
    public static DynamoDbClient defaultClient() {
        return configure(DynamoDbClient.builder()).build();
    }

    /** The settings every client of the store gets, also the tests' (with their endpoint). */
    public static DynamoDbClientBuilder configure(DynamoDbClientBuilder builder) {
        return builder.httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(3)));
    }

    @Override
    public Claim claim(String key) {
        long now = epochSeconds.getAsLong();
        try {
            client().putItem(r -> r.tableName(table)
                    .item(Map.of(KEY, s(key), STATE, s("claimed"), EXPIRES, n(now + claimExpiry.toSeconds())))
                    .conditionExpression("attribute_not_exists(#k) OR #e <= :now")
                    .expressionAttributeNames(Map.of("#k", KEY, "#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":now", n(now)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException held) {
            AttributeValue state = held.hasItem() ? held.item().get(STATE) : null;
            // an emulator that returns no item: assume delivered only if it says so, else wait as in flight
            return state != null && "delivered".equals(state.s()) ? Claim.ALREADY_DELIVERED : Claim.IN_FLIGHT;
        } catch (RuntimeException e) { // the SDK's, or building the client: never stops delivery
            onUnavailable.accept("claim: " + code(e));
            return Claim.UNAVAILABLE;
        }
    }

    @Override
    public void complete(String key) {
        try {
            client().updateItem(r -> r.tableName(table).key(Map.of(KEY, s(key)))
                    .updateExpression("SET #s = :d, #e = :until")
                    .expressionAttributeNames(Map.of("#s", STATE, "#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":d", s("delivered"), ":until", n(epochSeconds.getAsLong() + window.toSeconds()))));
        } catch (RuntimeException e) { // the SDK's, or building the client: never stops delivery
            // the claim expires by itself; until then a repeat is retried as in flight, after it may be written again
            onUnavailable.accept("complete: " + code(e));
        }
    }

    @Override
    public void release(String key) {
        try {
            client().deleteItem(r -> r.tableName(table).key(Map.of(KEY, s(key)))
                    .conditionExpression("#s = :c")
                    .expressionAttributeNames(Map.of("#s", STATE))
                    .expressionAttributeValues(Map.of(":c", s("claimed"))));
        } catch (ConditionalCheckFailedException alreadyDelivered) {
            // another delivery completed it meanwhile: keep the marker
        } catch (RuntimeException e) { // the SDK's, or building the client: never stops delivery
            onUnavailable.accept("release: " + code(e)); // the claim expires by itself
        }
    }

    private DynamoDbClient client() {
        return client.get();
    }

    /** Whether the client was built: false until the first claim (cold start and priming never build it). */
    boolean built() {
        return client.ifBuilt() != null;
    }

    /** The service's error code (ProvisionedThroughputExceededException, AccessDeniedException, ...) or the exception's class. */
    static String code(RuntimeException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
