package dev.destinations.__package__;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.VendorRequest;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.FieldRules;
import dev.destinations.mapping.Json;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * __Name__, as bin/new-destination wrote it: identify and track, one call each, the bodies from the rule files
 * beside this class. TODO: the vendor's calls (its contract.json lists them), its headers and base URL, and the
 * mapping; then the golden cases of src/test/resources.
 */
public final class __Name__Destination implements Destination<__Name__Settings> {
    /** TODO: the vendor's API base URL (and its reference in ../shared/spec/vendor-apis.md). */
    static final String BASE_URL = "https://api.__slug__.example";

    private static final FieldRules USER = FieldRules.load(__Name__Destination.class, "user.json");
    private static final FieldRules EVENT = FieldRules.load(__Name__Destination.class, "event.json");

    @Override
    public String slug() {
        return "__slug__";
    }

    @Override
    public List<String> integrationNames() {
        return List.of("__Name__", "__slug__");
    }

    @Override
    public Set<EventType> handledTypes() {
        return EnumSet.of(EventType.IDENTIFY, EventType.TRACK);
    }

    @Override
    public Set<String> settingsKeys() {
        return __Name__Settings.KEYS;
    }

    @Override
    public __Name__Settings settings(JsonNode merged) {
        return __Name__Settings.parse(merged);
    }

    @Override
    public Map<String, String> headers(String apiKey) {
        return Map.of("Content-Type", "application/json", "Authorization", "Bearer " + apiKey);
    }

    @Override
    public String baseUrl(__Name__Settings settings, String override) {
        return override != null ? override : BASE_URL;
    }

    /** An event write adds an entry each time it is sent (not idempotent): deduplicated (D25). */
    @Override
    public boolean deduplicates(EventType type, __Name__Settings settings) {
        return type == EventType.TRACK;
    }

    @Override
    public void deliver(Event event, EventType type, __Name__Settings settings, Delivery d) {
        __Name__Urls urls = new __Name__Urls(d.baseUrl());
        switch (type) {
            case IDENTIFY -> d.vendor().call(VendorRequest.post(urls.users(), user(event)));
            case TRACK -> d.vendor().call(VendorRequest.post(urls.events(), event(event)));
            default -> throw new IllegalStateException("not a __Name__ type: " + type);
        }
    }

    /** The user upsert for identify. */
    JsonNode user(Event event) {
        return Json.stripNulls(USER.apply(event.root()));
    }

    /** The event for track. */
    JsonNode event(Event event) {
        return Json.stripNulls(EVENT.apply(event.root()));
    }
}
