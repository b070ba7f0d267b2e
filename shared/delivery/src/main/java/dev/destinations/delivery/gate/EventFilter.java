package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.EventType;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * RudderStack's event filter for track events ({@code eventFilteringOption} with {@code whitelistedEvents} or
 * {@code blacklistedEvents}, rows {@code {"eventName": ...}}), with the semantics of RudderStack's JavaScript SDK
 * ({@code isEventDenyListed}, rudder-sdk-js analytics-js-plugins nativeDestinationQueue/utilities.ts, v3): names are
 * compared trimmed and case-sensitively; a track without a name (missing, empty, not a string) passes a blocklist
 * and fails an allowlist; other types are never filtered.
 *
 * @param option {@code disable} (also when unset), {@code whitelistedEvents} or {@code blacklistedEvents}
 * @param names  the chosen list's names, trimmed
 */
public record EventFilter(String option, Set<String> names) {
    public static final Set<String> KEYS = Set.of("eventFilteringOption", "whitelistedEvents", "blacklistedEvents");
    public static final EventFilter NONE = new EventFilter("disable", Set.of());

    public EventFilter {
        names = Set.copyOf(names);
    }

    /**
     * The template's {@code <Destination>BlockedTrackEvents} (the function's {@code BLOCKED_TRACK_EVENTS}, D61): names
     * filtered whatever {@code eventFilteringOption} says, by {@link #lists} (the event's {@code event}, whatever its
     * type: the rule the SNS subscription's filter policy can hold, which drops the same names, exactly as written,
     * before the queue). This is the rule that decides, on every route.
     *
     * @param commaSeparated the names, comma-separated; each trimmed, empty ones ignored
     */
    public static EventFilter blockedTrackEvents(String commaSeparated) {
        Set<String> names = new LinkedHashSet<>();
        if (commaSeparated != null) {
            for (String name : commaSeparated.split(",")) if (!name.isBlank()) names.add(name.strip());
        }
        return names.isEmpty() ? NONE : new EventFilter("blacklistedEvents", names);
    }

    public static EventFilter parse(JsonNode settings) {
        JsonNode o = settings.get("eventFilteringOption");
        String option = o == null || o.isNull() || (o.isTextual() && o.textValue().isEmpty()) ? "disable" : o.isTextual() ? o.textValue() : "?";
        return switch (option) {
            case "disable" -> {
                names(settings, "whitelistedEvents"); // still checked: a broken list is reported, chosen or not
                names(settings, "blacklistedEvents");
                yield NONE;
            }
            case "whitelistedEvents", "blacklistedEvents" -> new EventFilter(option, names(settings, option));
            default -> throw new Failure(Reason.CONFIGURATION, "eventFilteringOption must be \"disable\", \"whitelistedEvents\" or \"blacklistedEvents\"");
        };
    }

    /** True when this filter keeps the event from the destination. */
    public boolean drops(EventType type, JsonNode event) {
        if (type != EventType.TRACK || option.equals("disable")) return false;
        boolean listed = lists(event);
        return option.equals("whitelistedEvents") ? !listed : listed;
    }

    /** True when the event's name (its {@code event}, a string, trimmed) is one of {@link #names}. */
    public boolean lists(JsonNode event) {
        JsonNode name = event.get("event");
        return name != null && name.isTextual() && !name.textValue().isEmpty() && names.contains(name.textValue().strip());
    }

    private static Set<String> names(JsonNode settings, String key) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode rows = settings.get(key);
        if (rows == null || rows.isNull()) return out;
        if (!rows.isArray()) throw new Failure(Reason.CONFIGURATION, key + " must be a list of {\"eventName\": \"...\"}");
        int i = 0;
        for (JsonNode row : rows) {
            String at = key + "[" + i++ + "]";
            if (!row.isObject()) throw new Failure(Reason.CONFIGURATION, at + " must be an object {\"eventName\": \"...\"}");
            JsonNode name = row.get("eventName");
            if (name == null || name.isNull()) continue; // a blank row
            if (!name.isTextual()) throw new Failure(Reason.CONFIGURATION, at + ".eventName must be a string");
            out.add(name.textValue().strip());
        }
        return out;
    }
}
