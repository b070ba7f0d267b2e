package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A destination whose behaviour the event chooses ({@code properties.action}), for processor and runner tests. */
public final class TestDestination implements Destination<JsonNode> {
    @Override public String slug() { return "test"; }
    @Override public List<String> integrationNames() { return List.of("Test"); }
    @Override public Set<EventType> handledTypes() { return EnumSet.of(EventType.TRACK, EventType.IDENTIFY); }
    @Override public String missingTypeMessage() { return "Type missing"; }
    @Override public String unknownTypeMessage(String type) { return "Type " + type + " unknown"; }

    @Override public Set<String> settingsKeys() { return Set.of("broken"); }

    @Override
    public JsonNode settings(JsonNode merged) {
        if (merged.path("broken").asBoolean()) throw new Failure(Reason.CONFIGURATION, "broken must be false");
        return merged;
    }

    @Override public Map<String, String> headers(String apiKey) { return Map.of("X-Key", apiKey); }
    @Override public String baseUrl(JsonNode settings, String override) { return override; }
    /** Track writes are the non-idempotent ones here, as in the real destinations. */
    @Override public boolean deduplicates(EventType type, JsonNode settings) { return type == EventType.TRACK; }

    @Override
    public void deliver(Event event, EventType type, JsonNode settings, Delivery d) {
        switch (event.root().path("properties").path("action").asText("deliver")) {
            case "notFound" -> throw Delivery.notFound("No user found");
            case "validate" -> throw new ValidationException("Bad value");
            case "anonymous" -> throw ValidationException.missingIdentity("No user to deliver for");
            case "bug" -> throw new NullPointerException("boom");
            // an Error no layer below the batch runner catches; its text holds a personal value, as a real one may
            case "error" -> throw new AssertionError("broken for " + event.orderingKey() + "@example.com");
            case "twoCalls" -> {
                d.vendor().call(VendorRequest.get(d.baseUrl() + "/lookup/" + UrlEncoding.pathSegment(event.orderingKey())));
                d.vendor().call(VendorRequest.post(d.baseUrl() + "/items", Json.object().put("user", event.orderingKey())));
            }
            default -> {
                var body = Json.object().put("user", event.orderingKey());
                if (event.root().path("properties").has("seq")) body.set("seq", event.root().path("properties").get("seq"));
                d.vendor().call(VendorRequest.post(d.baseUrl() + "/items", body), "Item rejected");
            }
        }
    }
}
