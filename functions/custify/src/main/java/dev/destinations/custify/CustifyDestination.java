package dev.destinations.custify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.VendorClient;
import dev.destinations.delivery.VendorRequest;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.FieldRules;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.Path;
import dev.destinations.mapping.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Custify (spec section 2 and decisions D6-D8, D10, D17). identify and track are one call each; group upserts the
 * company and then the person with the company link; a {@code userDeletion} message deletes people. Every
 * Custify write is an upsert or a delete, so repeating one after a retry is safe (track is the exception unless
 * deduplication is on).
 */
public final class CustifyDestination implements Destination<CustifySettings> {
    /** API reference: docs.custify.com (People, Company, Event). */
    static final String BASE_URL = "https://api.custify.com";

    private static final FieldRules PERSON = FieldRules.load(CustifyDestination.class, "person.json");
    private static final FieldRules GROUP_PERSON = FieldRules.load(CustifyDestination.class, "group-person.json");
    private static final FieldRules GROUP_COMPANY = FieldRules.load(CustifyDestination.class, "group-company.json");
    private static final FieldRules EVENT = FieldRules.load(CustifyDestination.class, "event.json");

    /** Person fields Custify has columns for: not repeated in custom_attributes (spec 2.4 step 4). */
    private static final Set<String> PERSON_RESERVED = Set.of("userId", "email", "phone", "name", "signed_up_at",
            "session_count", "unsubscribed_from_emails", "unsubscribed_from_calls", "company");
    /** Company fields Custify has columns for (spec 2.6 step 1). */
    private static final Set<String> COMPANY_RESERVED = Set.of("id", "name", "industry", "company_id", "size", "website",
            "plan", "monthly_revenue", "churned");

    private static final Lookup TRAITS = Lookup.generic("traits");
    private static final Lookup FIRST_NAME = Lookup.generic("firstName");
    private static final Lookup LAST_NAME = Lookup.generic("lastName");
    private static final Path CONTEXT_TRAITS = Path.of("context.traits");

    @Override
    public String slug() {
        return "custify";
    }

    @Override
    public List<String> integrationNames() {
        return List.of("CUSTIFY", "Custify", "custify");
    }

    @Override
    public Set<EventType> handledTypes() {
        return EnumSet.of(EventType.IDENTIFY, EventType.TRACK, EventType.GROUP, EventType.USER_DELETION);
    }

    @Override
    public String missingTypeMessage() {
        return "Message Type is not present. Ignoring message.";
    }

    @Override
    public String unknownTypeMessage(String type) {
        return "Message type not supported";
    }

    @Override
    public String missingApiKeyMessage(EventType type) {
        return type == EventType.USER_DELETION ? "api key for deletion not present"
                : "apiKey is missing: set it in the destination's secret";
    }

    @Override
    public Set<String> settingsKeys() {
        return CustifySettings.KEYS;
    }

    @Override
    public CustifySettings settings(JsonNode merged) {
        return CustifySettings.parse(merged);
    }

    @Override
    public Map<String, String> headers(String apiKey) {
        return Map.of("Content-Type", "application/json", "Authorization", "Bearer " + apiKey);
    }

    /** VENDOR_BASE_URL (tests, proxies), else the account's {@code apiUrl} (D27), else api.custify.com. */
    @Override
    public String baseUrl(CustifySettings settings, String override) {
        return override != null ? override : settings.apiUrl() != null ? settings.apiUrl() : BASE_URL;
    }

    /**
     * POST /event adds an activity each time, so track is deduplicated here whatever {@code enableDeduplication}
     * says (D26): no public source shows that Custify honours the deduplication_id that setting sends.
     */
    @Override
    public boolean deduplicates(EventType type, CustifySettings settings) {
        return type == EventType.TRACK;
    }

    @Override
    public void deliver(Event event, EventType type, CustifySettings settings, Delivery d) {
        CustifyUrls urls = new CustifyUrls(d.baseUrl());
        switch (type) {
            case IDENTIFY -> d.vendor().call(finalRequest(urls.people(), identify(event, settings)));
            case TRACK -> d.vendor().call(finalRequest(urls.event(), track(event, settings)));
            case GROUP -> group(event, settings, d, urls);
            case USER_DELETION -> deleteUsers(event, d, urls);
            default -> throw new IllegalStateException("not a Custify type: " + type);
        }
    }

    /** The person upsert for identify (2.4). */
    ObjectNode identify(Event event, CustifySettings settings) {
        JsonNode traits = TRAITS.find(event.root());
        return person(event, settings, PERSON.apply(event.root()), traits);
    }

    /** group (2.6): everything is validated before the first call (D10), then company upsert, then person upsert. */
    private void group(Event event, CustifySettings settings, Delivery d, CustifyUrls urls) {
        ObjectNode company = groupCompany(event);
        ObjectNode person = person(event, settings, GROUP_PERSON.apply(event.root()), CONTEXT_TRAITS.get(event.root()));
        d.vendor().call(VendorRequest.post(urls.company(), company), "[Group]: failed create/update company details");
        d.vendor().call(finalRequest(urls.people(), person));
    }

    ObjectNode groupCompany(Event event) {
        ObjectNode company = GROUP_COMPANY.apply(event.root());
        if (!company.has("company_id")) throw new ValidationException("groupId Id is mandatory");
        JsonNode traits = event.root().path("traits");
        company.set("custom_attributes", scalarsExcept(traits, COMPANY_RESERVED));
        return Json.stripNulls(company);
    }

    /** Steps 1-5 of 2.4, shared by identify and group; {@code traits} is the object custom attributes come from. */
    private ObjectNode person(Event event, CustifySettings settings, ObjectNode person, JsonNode traits) {
        applyAnonymousId(event, settings, person);
        if (!person.has("user_id") && !person.has("email")) throw ValidationException.missingIdentity("Email or userId is mandatory");
        if (!person.has("name")) {
            String first = FIRST_NAME.findText(event.root());
            String last = LAST_NAME.findText(event.root());
            String name = first != null && last != null ? first + " " + last : first != null ? first : last;
            if (name != null) person.put("name", name);
        }
        JsonNode company = traits.path("company");
        JsonNode companyId = company.path("id");
        if (Json.isAbsent(companyId)) companyId = event.root().path("groupId");
        if (Json.isTruthy(companyId)) {
            JsonNode remove = company.path("remove");
            ObjectNode link = person.putArray("companies").addObject();
            link.set("company_id", companyId);
            link.set("remove", Json.isTruthy(remove) ? remove : Json.NODES.booleanNode(false));
        }
        if (traits.isObject()) person.set("custom_attributes", scalarsExcept(traits, PERSON_RESERVED));
        return Json.stripNulls(person);
    }

    /** The event upsert for track (2.5, D6, D7). */
    ObjectNode track(Event event, CustifySettings settings) {
        ObjectNode body = EVENT.apply(event.root());
        applyAnonymousId(event, settings, body);
        if (!body.has("user_id") && !body.has("email")) throw ValidationException.missingIdentity("Email or userId is mandatory");
        ObjectNode metadata = body.putObject("metadata");
        JsonNode properties = event.root().path("properties");
        properties.properties().forEach(p -> {
            JsonNode v = p.getValue();
            // D7: 0 and false are kept; null, "", objects and arrays are not
            if (v.isValueNode() && !Json.isAbsent(v)) metadata.set(p.getKey(), v);
        });
        if (body.has("user_id") && !properties.has("user_id") && !properties.has("userId")) {
            metadata.set("user_id", body.get("user_id"));
        }
        if (settings.enableDeduplication()) {
            JsonNode id = settings.deduplicationField() == null ? null : Path.of(settings.deduplicationField()).get(event.root());
            if (id == null || Json.isAbsent(id) || !id.isValueNode()) id = event.root().path("messageId");
            if (!Json.isAbsent(id)) body.set("deduplication_id", id);
        }
        return Json.stripNulls(body);
    }

    /** The reference's text for a failed deletion: the vendor's answer itself. */
    private static final VendorClient.Step DELETE_USER = VendorClient.Step.describedBy(
            r -> r.body() == null || r.body().isBlank() ? "Error while deleting user" : r.body().strip());

    /** Deletion (2.8, D10, D17): validate every record first, then DELETE each user; 2xx and 404 are done. */
    private void deleteUsers(Event event, Delivery d, CustifyUrls urls) {
        for (String id : Erasure.userIds(event)) d.deleteUser(id, "DELETE /people?user_id={userId}", VendorRequest.delete(urls.person(id)), DELETE_USER);
    }

    private static void applyAnonymousId(Event event, CustifySettings settings, ObjectNode body) {
        if (!body.has("user_id") && settings.sendAnonymousId()) {
            JsonNode anonymousId = event.root().path("anonymousId");
            if (Json.isTruthy(anonymousId)) body.set("user_id", anonymousId);
        }
    }

    /** A copy of the object's scalar entries, minus reserved keys, objects, arrays and nulls. */
    private static ObjectNode scalarsExcept(JsonNode traits, Set<String> reserved) {
        ObjectNode out = Json.object();
        traits.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!reserved.contains(e.getKey()) && v.isValueNode() && !v.isNull()) out.set(e.getKey(), v);
        });
        return out;
    }

    private static VendorRequest finalRequest(String url, ObjectNode body) {
        return VendorRequest.post(url, body).header("Accept", "application/json");
    }
}
