package dev.destinations.lambda;

import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Suppressions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * {@link Suppressions} in the stack's erasure table (template resource {@code ErasureTable}: key {@code pk} +
 * {@code sk}, TTL on {@code expires_at}), shared by every function; README "User deletion". A user id is stored
 * only as {@link #hash}: HMAC-SHA256 under the stack's erasure key (D49), never as itself.
 *
 * <ul>
 *   <li>a suppression: {@code pk} {@code <destination>#<hash>}, {@code sk} {@code suppressed}, {@code
 *       suppressed_at}, and {@code expires_at} when SUPPRESSION_DAYS is set (else it lasts until lifted). Read with
 *       a strongly consistent GetItem: an event queued right after a deletion must see it. TTL deletes lazily, so a
 *       past {@code expires_at} counts as lifted;</li>
 *   <li>a deletion receipt: {@code pk} {@code receipts}, {@code sk} the request's messageId; one item per request,
 *       each destination its own attribute (the list of its calls: user hash, call, status, time; each attempt, a
 *       retry or the second pass of D62, appends its calls, so the record shows every call made), {@code
 *       users} (the hashes), {@code requested_at} (the first destination's time) and {@code expires_at} (now +
 *       DELETION_RECEIPT_DAYS).</li>
 * </ul>
 * The role may touch only items whose {@code pk} starts with its own destination's name, and the receipts
 * (template: {@code dynamodb:LeadingKeys}). Fails closed: any failure, building the client or reading the key
 * included, throws {@link Reason#SUPPRESSION_UNAVAILABLE} after telling {@code onUnavailable} the operation and
 * error code (never an id or a hash).
 */
public final class DynamoDbSuppressions implements Suppressions {
    static final String RECEIPTS = "receipts";
    private static final String SUPPRESSED = "suppressed";

    private final Supplier<DynamoDbClient> client;
    private final String table;
    private final String destination;
    private final Lazy<byte[]> key;
    private final Duration suppressFor;
    private final Duration receiptsFor;
    private final LongSupplier epochSeconds;
    private final Consumer<String> onUnavailable;

    /**
     * @param client      the shared DynamoDB client, built on first use
     * @param key         the erasure key's bytes (the secret ERASURE_KEY_SECRET_ID), read once, on first use
     * @param suppressFor how long a suppression lasts; null = until lifted
     */
    public DynamoDbSuppressions(Supplier<DynamoDbClient> client, String table, String destination, Supplier<byte[]> key,
                                Duration suppressFor, Duration receiptsFor, LongSupplier epochSeconds, Consumer<String> onUnavailable) {
        this.client = client;
        this.table = table;
        this.destination = destination;
        this.key = new Lazy<>(key);
        this.suppressFor = suppressFor;
        this.receiptsFor = receiptsFor;
        this.epochSeconds = epochSeconds;
        this.onUnavailable = onUnavailable;
    }

    /** The stored form of a user id: lower-case hex HMAC-SHA256 of its UTF-8 bytes under {@code key}. */
    public static String hash(byte[] key, String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public boolean suppressed(String userId) {
        GetItemResponse r = call("GetItem", () -> client.get().getItem(b -> b.tableName(table).key(suppressionKey(userId))
                .consistentRead(true).projectionExpression("pk, expires_at")));
        if (!r.hasItem() || r.item().isEmpty()) return false;
        AttributeValue expires = r.item().get("expires_at");
        return expires == null || Long.parseLong(expires.n()) > epochSeconds.getAsLong();
    }

    @Override
    public void suppress(List<String> userIds) {
        long now = epochSeconds.getAsLong();
        for (String id : userIds) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(suppressionKey(id));
            item.put("suppressed_at", n(now));
            if (suppressFor != null) item.put("expires_at", n(now + suppressFor.toSeconds()));
            call("PutItem", () -> client.get().putItem(b -> b.tableName(table).item(item)));
        }
    }

    @Override
    public void lift(List<String> userIds) {
        for (String id : userIds) call("DeleteItem", () -> client.get().deleteItem(b -> b.tableName(table).key(suppressionKey(id))));
    }

    @Override
    public void receipt(String requestId, List<String> userIds, List<Erasure.Call> calls) {
        long now = epochSeconds.getAsLong();
        List<AttributeValue> made = new ArrayList<>();
        for (Erasure.Call c : calls) {
            made.add(AttributeValue.fromM(Map.of("user", s(hash(c.userId())), "call", s(c.call()), "status", n(c.status()),
                    "at", s(c.at().toString()))));
        }
        List<String> hashes = userIds.stream().map(this::hash).toList();
        call("UpdateItem", () -> client.get().updateItem(b -> b.tableName(table).key(Map.of("pk", s(RECEIPTS), "sk", s(requestId)))
                .updateExpression("SET #d = list_append(if_not_exists(#d, :none), :calls), #e = :until, #r = if_not_exists(#r, :now) ADD #u :users")
                .expressionAttributeNames(Map.of("#d", destination, "#e", "expires_at", "#r", "requested_at", "#u", "users"))
                .expressionAttributeValues(Map.of(":calls", AttributeValue.fromL(made), ":none", AttributeValue.fromL(List.of()), ":until", n(now + receiptsFor.toSeconds()),
                        ":now", s(java.time.Instant.ofEpochSecond(now).toString()), ":users", AttributeValue.fromSs(hashes)))));
    }

    private Map<String, AttributeValue> suppressionKey(String userId) {
        return Map.of("pk", s(destination + "#" + hash(userId)), "sk", s(SUPPRESSED));
    }

    private String hash(String userId) {
        byte[] k;
        try {
            k = key.get();
        } catch (RuntimeException e) {
            throw unavailable("GetSecretValue", e);
        }
        return hash(k, userId);
    }

    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (Failure f) {
            throw f;
        } catch (RuntimeException e) { // the SDK's, or building the client
            throw unavailable(operation, e);
        }
    }

    private Failure unavailable(String operation, RuntimeException e) {
        String code = DynamoDbDeliveredEvents.code(e);
        onUnavailable.accept(operation + ": " + code);
        return new Failure(Reason.SUPPRESSION_UNAVAILABLE, "suppression store unavailable (" + operation + ": " + code + "); retried, never delivered unchecked");
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
