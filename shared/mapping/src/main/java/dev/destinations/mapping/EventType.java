package dev.destinations.mapping;

import java.util.Locale;

/**
 * The message types this project knows: the Segment/RudderStack spec types, plus {@code userDeletion}, the
 * project's queue message for a data-subject deletion request (see the README). Matching is case-insensitive.
 */
public enum EventType {
    IDENTIFY, TRACK, PAGE, SCREEN, GROUP, ALIAS, USER_DELETION;

    /** The type named by an event's {@code type} text, or null for an unknown type. */
    public static EventType of(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "identify" -> IDENTIFY;
            case "track" -> TRACK;
            case "page" -> PAGE;
            case "screen" -> SCREEN;
            case "group" -> GROUP;
            case "alias" -> ALIAS;
            case "userdeletion" -> USER_DELETION;
            default -> null;
        };
    }

    /** The lower-case wire name, as in logs and metrics. */
    public String wireName() {
        return this == USER_DELETION ? "userDeletion" : name().toLowerCase(Locale.ROOT);
    }
}
