package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.ValidationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The erasure messages' shared reading (README "User deletion"): {@code userDeletion}, {@code suppress} and
 * {@code unsuppress} name their users as RudderStack's deletion input does, {@code "userAttributes": [{"userId":
 * ...}, ...]}; and whose user an ordinary event is, for the suppression check.
 */
public final class Erasure {
    private static final Lookup USER_ID = Lookup.generic("userId");

    /** The erasure messages the store alone acts on, at every destination: no vendor call. */
    public static final Set<EventType> STORE_TYPES = java.util.Collections.unmodifiableSet(EnumSet.of(EventType.SUPPRESS, EventType.UNSUPPRESS));

    /**
     * The types every destination takes, besides its own {@link Destination#handledTypes()} (D64): the erasure
     * messages. Suppression is the project's, so a deletion suppresses its users and leaves a receipt at every
     * destination; the vendor call is the destination's, made where its handledTypes() has {@code userDeletion}.
     */
    public static final Set<EventType> EVERY_DESTINATION = java.util.Collections.unmodifiableSet(
            EnumSet.of(EventType.USER_DELETION, EventType.SUPPRESS, EventType.UNSUPPRESS));

    private Erasure() {}

    /**
     * One vendor call of a deletion, for its receipt: {@code call} names the endpoint with the id as a placeholder
     * ({@code DELETE /users-by-id/{custom_id}/}), never the id; {@code status} is the vendor's (0: no answer).
     */
    public record Call(String userId, String call, int status, Instant at) {}

    /**
     * The user ids of an erasure message, every record checked before anything is done (D10): the reference's
     * messages for Custify's deletion ({@code userAttributes is not an array}, {@code User id for deletion not present}).
     */
    public static List<String> userIds(Event event) {
        JsonNode users = event.root().get("userAttributes");
        if (users == null || !users.isArray()) throw new ValidationException("userAttributes is not an array");
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (JsonNode user : users) {
            JsonNode id = user.path("userId");
            if (Json.isAbsent(id) || !id.isValueNode()) throw new ValidationException("User id for deletion not present");
            ids.add(id.asText());
        }
        return new ArrayList<>(ids);
    }

    /**
     * The id a deletion's receipt is filed under: the message's {@code messageId}, else the SQS message id ({@code
     * <id>#<n>} for an event of a batch body), else {@code "unknown"}.
     */
    public static String requestId(Event event, String sqsId) {
        JsonNode id = event.root().get("messageId");
        if (id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank()) return id.asText();
        return sqsId != null ? sqsId : "unknown";
    }

    /**
     * The id an ordinary event is attributed to: the generic {@code userId} (spec 1.2: {@code userId}, then the
     * traits' ids, then {@code anonymousId}), the id the destinations write to; null for none.
     */
    public static String subject(Event event) {
        return USER_ID.findText(event.root());
    }
}
