package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ordered candidate paths, first usable value wins (spec 1.1, rule A): missing, null and "" are skipped;
 * {@code false}, {@code 0}, {} and [] are usable. Also the table of generic keys (spec 1.2), loaded once.
 */
public final class Lookup {
    private static final Map<String, Lookup> GENERIC = loadGenericKeys();

    private final Path[] candidates;
    private final String source;

    private Lookup(List<Path> candidates, String source) {
        this.candidates = candidates.toArray(Path[]::new);
        this.source = source;
    }

    /** A lookup over explicit paths; {@code source} is how a "Missing required value from ..." message names it. */
    public static Lookup of(String... paths) {
        List<Path> list = new ArrayList<>();
        for (String p : paths) list.add(Path.of(p));
        return new Lookup(list, paths.length == 1 ? quote(paths[0]) : quoteAll(paths));
    }

    /** The generic key's lookup ({@code email}, {@code userIdOnly}, ...). Unknown keys are a programming error. */
    public static Lookup generic(String key) {
        Lookup lookup = GENERIC.get(key);
        if (lookup == null) throw new IllegalArgumentException("unknown generic key: " + key);
        return lookup;
    }

    /** The first usable candidate's value, or {@link MissingNode}. */
    public JsonNode find(JsonNode event) {
        for (Path p : candidates) {
            JsonNode v = p.get(event);
            if (!Json.isAbsent(v)) return v;
        }
        return MissingNode.getInstance();
    }

    /** The first usable candidate as text (numbers and booleans rendered), or null. */
    public String findText(JsonNode event) {
        JsonNode v = find(event);
        if (v.isMissingNode()) return null;
        return v.isValueNode() ? v.asText() : null;
    }

    /** How the reference renders this lookup in "Missing required value from ..." messages. */
    public String source() {
        return source;
    }

    private static String quoteAll(String[] paths) {
        var array = Json.NODES.arrayNode();
        for (String p : paths) array.add(p);
        return Json.write(array);
    }

    static String quote(String s) {
        return Json.write(Json.NODES.textNode(s));
    }

    private static Map<String, Lookup> loadGenericKeys() {
        try (InputStream in = Lookup.class.getResourceAsStream("generic-keys.json")) {
            JsonNode table = Json.parse(in);
            Map<String, Lookup> map = new HashMap<>();
            table.properties().forEach(e -> {
                if (!e.getValue().isArray()) return; // the "doc" entry
                List<Path> paths = new ArrayList<>();
                e.getValue().forEach(p -> paths.add(Path.of(p.textValue())));
                map.put(e.getKey(), new Lookup(paths, quote(e.getKey())));
            });
            return Map.copyOf(map);
        } catch (IOException e) {
            throw new UncheckedIOException("generic-keys.json is part of the build", e);
        }
    }
}
