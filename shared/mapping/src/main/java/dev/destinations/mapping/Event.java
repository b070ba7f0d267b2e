package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One parsed queue message: a Segment/RudderStack-spec event, read-only for everyone who maps it. */
public final class Event {
    private final JsonNode root;

    private Event(JsonNode root) {
        this.root = root;
    }

    /** Wraps a parsed message body; the caller has checked it is a JSON object. */
    public static Event of(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("an event is a JSON object");
        return new Event(root);
    }

    public JsonNode root() {
        return root;
    }

    /** The raw {@code type} text, or null when absent or not a non-empty string. */
    public String typeText() {
        return Json.text(root.get("type"));
    }

    /** The value at a dotted path, or a missing node. */
    public JsonNode at(String dottedPath) {
        return Path.of(dottedPath).get(root);
    }

    /**
     * Whose event this is, for ordering within a batch (D14): {@code userId}, else {@code anonymousId}; a
     * deletion request is keyed by its first user. Null when the event names nobody.
     */
    public String orderingKey() {
        String key = scalarText(root.get("userId"));
        if (key == null) key = scalarText(root.get("anonymousId"));
        if (key == null) key = scalarText(root.path("userAttributes").path(0).get("userId"));
        return key;
    }

    /**
     * True when the event's {@code integrations} object switches this destination off (D13): {@code "<name>":
     * false}, or {@code "All": false} without a truthy entry for one of the destination's names.
     */
    public boolean disabledFor(List<String> destinationNames) {
        JsonNode integrations = root.get("integrations");
        if (integrations == null || !integrations.isObject()) return false;
        for (String name : destinationNames) {
            JsonNode entry = integrations.get(name);
            if (entry != null && !entry.isNull()) return !Json.isTruthy(entry);
        }
        JsonNode all = integrations.get("All");
        return all != null && all.isBoolean() && !all.booleanValue();
    }

    /** The destination's options object in {@code integrations} (first present of its names), or a missing node. */
    public JsonNode integrationOptions(List<String> destinationNames) {
        JsonNode integrations = root.path("integrations");
        for (String name : destinationNames) {
            JsonNode entry = integrations.get(name);
            if (entry != null) return entry;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String scalarText(JsonNode v) {
        if (v == null || !v.isValueNode() || v.isNull()) return null;
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }
}
