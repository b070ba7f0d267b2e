package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A dotted path into an event ({@code context.traits.email}); a numeric segment indexes an array. Compiled once. */
public final class Path {
    private final String text;
    private final String[] segments;
    private final int[] indexes;

    private Path(String text) {
        this.text = text;
        this.segments = text.split("\\.", -1);
        this.indexes = new int[segments.length];
        for (int i = 0; i < segments.length; i++) {
            indexes[i] = isIndex(segments[i]) ? Integer.parseInt(segments[i]) : -1;
        }
    }

    public static Path of(String dotted) {
        if (dotted == null || dotted.isBlank()) throw new IllegalArgumentException("empty path");
        return new Path(dotted);
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 6) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    /** The value at this path, or {@link MissingNode} when any step is absent. Never null. */
    public JsonNode get(JsonNode root) {
        JsonNode node = root;
        for (int i = 0; i < segments.length && node != null; i++) {
            if (node.isObject()) node = node.get(segments[i]);
            else if (node.isArray() && indexes[i] >= 0) node = node.get(indexes[i]);
            else return MissingNode.getInstance();
        }
        return node == null ? MissingNode.getInstance() : node;
    }

    /** Writes {@code value} at this path, creating (or replacing non-object) intermediate objects. */
    public void set(ObjectNode root, JsonNode value) {
        ObjectNode node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode child = node.get(segments[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(segments[i]);
            }
            node = (ObjectNode) child;
        }
        node.set(segments[segments.length - 1], value);
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
