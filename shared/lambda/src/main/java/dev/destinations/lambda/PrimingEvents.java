package dev.destinations.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The events of {@code priming-events.json}: one of each type, with the fields the destinations read. */
final class PrimingEvents {
    static final List<JsonNode> ALL = load();

    private PrimingEvents() {}

    private static List<JsonNode> load() {
        try (InputStream in = PrimingEvents.class.getResourceAsStream("priming-events.json")) {
            List<JsonNode> events = new ArrayList<>();
            Json.parse(in).path("events").forEach(events::add);
            return List.copyOf(events);
        } catch (IOException e) {
            throw new UncheckedIOException("priming-events.json is part of the build", e);
        }
    }
}
