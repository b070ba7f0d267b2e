package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Credentials;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** Candidates for the gate tests: an event from JSON text, settings and a key as the test needs them. */
final class Candidates {
    private Candidates() {}

    static Candidate<JsonNode> of(String eventJson) {
        return of(eventJson, Json::object, "key");
    }

    static Candidate<JsonNode> of(String eventJson, Supplier<JsonNode> settings, String apiKey) {
        return of(eventJson, null, settings, apiKey);
    }

    static Candidate<JsonNode> of(String eventJson, String sqsId, Supplier<JsonNode> settings, String apiKey) {
        Event event = Event.of(json(eventJson));
        EventType type = event.typeText() == null ? null : EventType.of(event.typeText());
        // the controls come from the destination's settings object, as the processor's; the candidate asks for each once
        JsonNode[] parsed = new JsonNode[1];
        Supplier<JsonNode> once = () -> parsed[0] != null ? parsed[0] : (parsed[0] = settings.get());
        return new Candidate<>(event, type, sqsId, once, () -> DataControls.parse(once.get()), new Credentials() {
            @Override
            public String apiKey() {
                if (apiKey == null) throw new Failure(Reason.CONFIGURATION, "apiKey is missing");
                return apiKey;
            }

            @Override
            public void refresh() {}
        });
    }

    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
