package dev.destinations.mapping;

import java.util.Locale;

/**
 * The message types this project knows: the Segment/RudderStack spec types, plus the project's erasure messages
 * (README "User deletion"): {@code userDeletion}, a data-subject deletion request, and {@code suppress} /
 * {@code unsuppress}, which start and lift the suppression of users without deleting them. Matching is case-insensitive.
 */
public enum EventType {
    IDENTIFY, TRACK, PAGE, SCREEN, GROUP, ALIAS, USER_DELETION, SUPPRESS, UNSUPPRESS;

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
            case "suppress" -> SUPPRESS;
            case "unsuppress" -> UNSUPPRESS;
            default -> null;
        };
    }

    /** An erasure message: it names users in {@code userAttributes} rather than being an event of one user. */
    public boolean erasure() {
        return this == USER_DELETION || this == SUPPRESS || this == UNSUPPRESS;
    }

    /** The lower-case wire name, as in logs and metrics. */
    public String wireName() {
        return this == USER_DELETION ? "userDeletion" : name().toLowerCase(Locale.ROOT);
    }
}
