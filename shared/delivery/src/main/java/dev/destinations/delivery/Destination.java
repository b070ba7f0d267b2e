package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One vendor: its settings, which message types it handles, its authentication, and its flows. Implementations
 * are stateless and thread-safe; everything per message arrives in the arguments.
 *
 * @param <S> the destination's parsed settings
 */
public interface Destination<S> {
    /** Lower-case kebab name used in logs, metrics and DLQ attributes: {@code custify}. */
    String slug();

    /** The names under which an event's {@code integrations} object may address this destination (1.6, D13). */
    List<String> integrationNames();

    /** The types this destination delivers; other known types are skipped (D12). */
    Set<EventType> handledTypes();

    /** The reference's message for a message without a type; a destination without a reference keeps this one. */
    default String missingTypeMessage() {
        return "Message type is missing";
    }

    /**
     * The reference's message for an unknown type ({@code type} is lower-cased); a destination without a reference
     * keeps this one.
     */
    default String unknownTypeMessage(String type) {
        return "Message type " + type + " is not supported";
    }

    /** The message for a missing API key (D8). */
    default String missingApiKeyMessage(EventType type) {
        return "apiKey is missing: set it in the destination's secret";
    }

    /**
     * Every settings key {@link #settings} reads (RudderStack's names), written once beside the parser; any other key
     * is reported at cold start ({@link UnknownSettingsKeys}). The keys every destination shares (consent, filters,
     * dropFields) are not repeated here.
     */
    Set<String> settingsKeys();

    /** Parses and validates the merged settings; throws a CONFIGURATION failure with a clear message. */
    S settings(JsonNode merged);

    /** Every header the vendor gets on every call, authentication included. */
    Map<String, String> headers(String apiKey);

    /**
     * The vendor base URL for these settings, without a trailing slash; {@code override} (the base-URL setting) is
     * null when unset, and already trimmed ({@link BaseUrl#override}).
     */
    String baseUrl(S settings, String override);

    /**
     * True when this type's write is not idempotent, so delivering the event twice writes it twice at the vendor
     * (an activity feed entry, a count): the one place that declares the non-idempotent writes (D25, D40). The
     * runtime sends these events through {@link DeliveredEvents}; bin/fault-run counts the repeats of these events
     * only. Upserts (identify, group) answer false.
     */
    default boolean deduplicates(EventType type, S settings) {
        return false;
    }

    /** Delivers one event; returns normally when delivered, throws {@link Failure} or a validation error otherwise. */
    void deliver(Event event, EventType type, S settings, Delivery delivery);
}
