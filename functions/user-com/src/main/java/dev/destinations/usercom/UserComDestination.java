package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Classifier;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.VendorClient;
import dev.destinations.delivery.VendorRequest;
import dev.destinations.delivery.VendorResponse;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.FieldRules;
import dev.destinations.mapping.JavaScript;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.Path;
import dev.destinations.mapping.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * User.com (spec section 3 and decisions D1, D2, D4, D5, D10, D11, D15, D16, D30-D34), every request as its
 * contract ({@code contract.json}) says the API takes it. An event of a top-level userId needs no lookup for identify
 * (one upsert) or track (an event by custom id, D32); otherwise identify, track and page first find the user (3.4);
 * group finds the user by id, writes the company by its custom id and adds the user to it (3.8). Everything that can
 * be rejected is rejected before the first call (D10). Lookups tell "not found" (404 or an empty result) from a
 * vendor failure, which is retried (D1). A user or company is looked up once per batch: lookups and writes are
 * remembered in {@link UserComBatch} under the lookup URL, so later events of the batch see what earlier
 * ones found or created; a failed lookup is never remembered. Across batches the instance remembers the ids of
 * users and companies that exist ({@link Delivery#recall}), so a known user's event is one call; a 404 from a write
 * to a remembered id makes the event forget it and start again from the lookups (D24).
 */
public final class UserComDestination implements Destination<UserComSettings> {
    /** {@code VENDOR_BASE_URL} may contain this; it is replaced by the (validated) subdomain. */
    static final String SUBDOMAIN_PLACEHOLDER = "{appSubdomain}";

    static final String TRACK_NO_USER = "No user found with given lookup field, Track event cannot be completed if there is no valid user";
    static final String PAGE_NO_USER = "No user found with given lookup field. Page event cannot be completed if there is no valid user";
    static final String GROUP_NO_USER = "No user found with given userId";
    static final String NO_MATCH = "No user found for a given lookup field";
    static final String SEVERAL_MATCHES = "Multiple users obtained for a given lookup field";

    private static final VendorClient.Step UPSERT_FAILED = VendorClient.Step.named("User update or create failed");
    private static final VendorClient.Step EVENT_FAILED = VendorClient.Step.named("Event create failed");
    private static final VendorClient.Step USER_LOOKUP_FAILED = VendorClient.Step.named("User lookup failed");
    private static final VendorClient.Step COMPANY_UPDATE_FAILED = VendorClient.Step.named("Company update failed");
    private static final VendorClient.Step COMPANY_CREATE_FAILED = VendorClient.Step.named("Company create failed");
    /** The documented lengths of user fields (D31), read from the contract: the same on create, update and upsert. */
    private static final Map<String, Integer> USER_LIMITS = UserComContract.maxLengths("users.update_or_create");

    private static final List<String> NAMES = List.of("user", "USER", "User", "User.com", "user.com", "USER.com");

    private static final FieldRules USER = FieldRules.load(UserComDestination.class, "user.json");
    private static final FieldRules EVENT = FieldRules.load(UserComDestination.class, "event.json");
    private static final FieldRules SITE_VIEW = FieldRules.load(UserComDestination.class, "site-view.json");
    private static final FieldRules COMPANY = FieldRules.load(UserComDestination.class, "company.json");

    /** Traits that have a user field of their own (3.5): never passed through as custom attributes. */
    private static final Set<String> USER_EXCLUDED = Set.of("id", "userId", "email", "phone", "firstName", "firstname",
            "first_name", "lastName", "lastname", "last_name", "tags", "city", "region", "country", "gender", "status",
            "googleUrl", "linkedinUrl", "twitterUrl", "facebookUrl", "timezone", "avatar", "avatarURL", "avatar_URL");
    /** Group traits that have a company field of their own (3.8). */
    private static final Set<String> COMPANY_EXCLUDED = Set.of("id", "userId", "groupId", "groupname", "email", "address",
            "city", "region", "country", "description", "phone", "zip", "zipcode", "postalcode", "size", "tags");

    /** The company fields User.com sets itself (contract.json), e.g. {@code employees}: never sent, whatever the traits hold. */
    private static final Set<String> COMPANY_READ_ONLY = UserComContract.readOnly("companies-by-id.update");

    private static final Lookup TRAITS = Lookup.generic("traits");
    private static final Lookup EMAIL = Lookup.generic("email");
    private static final Lookup PHONE = Lookup.generic("phone");
    private static final Lookup USER_ID = Lookup.generic("userId");
    private static final Lookup GROUP_ID = Lookup.generic("groupId");
    private static final Lookup PAGE_URL = Lookup.generic("pageUrl");
    private static final Lookup PAGE_PATH = Lookup.generic("pagePath");
    private static final Lookup TIMESTAMP = Lookup.generic("timestamp");
    private static final Path CONTEXT_TRAITS = Path.of("context.traits");
    private static final Path EXTERNAL_IDS = Path.of("context.externalId");

    /** What a batch knows about a lookup URL: the user or company, or null for "does not exist". */
    record Known(JsonNode entity) {}

    /** What is remembered of a user across batches: the ids the flows send, nothing personal. */
    private static final String[] USER_IDS = {"id", "user_key", "custom_id"};

    /**
     * A resolved user lookup; {@code phone} lookups answer a result list (3.4). {@code customId} is the custom id when
     * the lookup is by it ({@code url} is then its users-by-id URL, also the key the user is remembered under).
     */
    record UserLookup(String url, boolean phone, String customId) {
        UserLookup(String url, boolean phone) {
            this(url, phone, null);
        }
    }

    @Override
    public String slug() {
        return "user-com";
    }

    @Override
    public List<String> integrationNames() {
        return NAMES;
    }

    @Override
    public Set<EventType> handledTypes() {
        return EnumSet.of(EventType.IDENTIFY, EventType.TRACK, EventType.PAGE, EventType.GROUP, EventType.USER_DELETION);
    }

    @Override
    public String missingTypeMessage() {
        return "Event type is required";
    }

    @Override
    public String unknownTypeMessage(String type) {
        return "Event type " + type + " is not supported";
    }

    @Override
    public Set<String> settingsKeys() {
        return UserComSettings.KEYS;
    }

    @Override
    public UserComSettings settings(JsonNode merged) {
        return UserComSettings.parse(merged);
    }

    @Override
    public Map<String, String> headers(String apiKey) {
        return Map.of("Content-Type", "application/json", "Authorization", "Token " + apiKey, "Accept", "*/*;version=2");
    }

    /**
     * {@code https://<appSubdomain>.user.com/api/public}; an override is the whole base, with {@code {appSubdomain}}
     * substituted when it has one. The subdomain was validated when the settings were made.
     */
    @Override
    public String baseUrl(UserComSettings settings, String override) {
        String base = override == null ? "https://" + SUBDOMAIN_PLACEHOLDER + ".user.com/api/public" : override;
        return base.replace(SUBDOMAIN_PLACEHOLDER, settings.appSubdomain());
    }

    /** /events/ and /site-views/ add an entry each time; user and company writes are upserts. */
    @Override
    public boolean deduplicates(EventType type, UserComSettings settings) {
        return type == EventType.TRACK || type == EventType.PAGE;
    }

    @Override
    public void deliver(Event event, EventType type, UserComSettings settings, Delivery d) {
        UserComUrls urls = new UserComUrls(d.baseUrl());
        switch (type) {
            case IDENTIFY -> identify(event, settings, d, urls);
            case TRACK -> track(event, settings, d, urls);
            case PAGE -> page(event, d, urls);
            case GROUP -> group(event, settings, d, urls);
            case USER_DELETION -> deleteUsers(event, d, urls);
            default -> throw new IllegalStateException("not a User.com type: " + type);
        }
    }

    /**
     * identify (3.5). By the top-level userId: one upsert, {@code POST /users/update_or_create/} with the custom id in
     * the body (D32: no lookup, no create race; D33: an id no path can hold is never looked up, so it never turns
     * into a second user). By a userKey, the lookup option or the email: find the user, then update or create it.
     */
    private void identify(Event event, UserComSettings settings, Delivery d, UserComUrls urls) {
        UserLookup lookup = userLookup(event, urls);
        ObjectNode body = identifyBody(event, settings);
        cutToLimits(body, USER_LIMITS, d);
        // a trait named custom_id overrides the mapped one (3.5): then the upsert would key on another user
        if (lookup.customId() != null && lookup.customId().equals(Json.text(body.get("custom_id")))) {
            body.put("custom_id", lookup.customId());
            JsonNode written = d.vendor().call(VendorRequest.post(urls.updateOrCreate(), body), UPSERT_FAILED).json();
            if (hasId(written)) remember(d, urls, lookup.url(), body, written);
            else d.batch(UserComBatch.KEY).forget(lookup.url()); // written, but nothing to remember: the next event looks
            return;
        }
        Optional<JsonNode> user = findUser(lookup, d, urls);
        if (user.isPresent()) {
            VendorResponse r = d.vendor().call(VendorRequest.put(urls.user(idText(user.get())), body));
            JsonNode updated = r.json();
            remember(d, urls, lookup.url(), body, hasId(updated) ? updated : user.get());
        } else {
            VendorResponse r = d.vendor().call(VendorRequest.post(urls.users(), body));
            JsonNode created = r.json();
            if (hasId(created)) {
                remember(d, urls, lookup.url(), body, created);
            } else {
                d.batch(UserComBatch.KEY).forget(lookup.url()); // "does not exist" is no longer true; let the next event look again
            }
        }
    }

    /**
     * track (3.6). By a userId a path can hold: {@code POST /users-by-id/<custom_id>/events/}, no lookup (D32); a 404
     * there is the reference's "no user" (D11). Otherwise the event is posted against the found user's numeric id.
     */
    private void track(Event event, UserComSettings settings, Delivery d, UserComUrls urls) {
        if (!Json.isTruthy(event.root().get("event"))) throw new ValidationException("Parameter event is required");
        UserLookup lookup = userLookup(event, urls);
        ObjectNode body = trackBody(event, settings);
        if (lookup.customId() != null && UserComUrls.pathSafe(lookup.customId())) {
            body.remove("user_id");
            d.vendor().require(VendorRequest.post(urls.userEvents(lookup.customId()), body), EVENT_FAILED,
                    r -> Delivery.notFound(TRACK_NO_USER));
            return;
        }
        JsonNode user = findUser(lookup, d, urls).orElseThrow(() -> Delivery.notFound(TRACK_NO_USER));
        body.set("user_id", user.get("id"));
        d.vendor().call(VendorRequest.post(urls.events(), body), EVENT_FAILED);
    }

    /**
     * page (3.7): the reference checks url, path and timestamp after the lookup; they are checked before it here (D10).
     * A user known only by its numeric id (an upsert answers no user key) is read once by that id for its key.
     */
    private void page(Event event, Delivery d, UserComUrls urls) {
        UserLookup lookup = userLookup(event, urls);
        ObjectNode body = pageBody(event);
        JsonNode user = findUser(lookup, d, urls).orElseThrow(() -> Delivery.notFound(PAGE_NO_USER));
        if (!Json.isTruthy(user.get("user_key"))) {
            user = userIn(d.vendor().require(VendorRequest.get(urls.user(idText(user))), USER_LOOKUP_FAILED,
                    r -> Delivery.notFound(PAGE_NO_USER)), false);
            if (user == null) throw Delivery.notFound(PAGE_NO_USER);
            remember(d, urls, lookup.url(), Json.object(), user);
        }
        body.set("client_user", user.get("user_key"));
        d.vendor().call(VendorRequest.post(urls.siteViews(), Json.stripNulls(body)));
    }

    /**
     * group (3.8): the user by id, the company written by its custom id ({@code PUT /companies-by-id/<groupId>/}, on a
     * 404 {@code POST /companies/}: D32, no company lookup; classified like any call, D2), then add_member. A group
     * that repeats what this instance wrote for the same company and user within the lookup cache's lifetime is not
     * sent again (D34).
     */
    private void group(Event event, UserComSettings settings, Delivery d, UserComUrls urls) {
        ObjectNode company = companyBody(event, settings);
        String userId = USER_ID.findText(event.root());
        if (userId == null) throw new ValidationException("Missing required value from " + USER_ID.source());
        String groupId = GROUP_ID.findText(event.root());
        String membership = groupId == null ? null : urls.membership(groupId, userId);
        String written = membership == null ? null : fingerprint(company);
        JsonNode repeated = membership == null ? null : d.recall(membership);
        if (repeated != null && written.equals(repeated.path("written").asText())) return;

        JsonNode user = findUser(new UserLookup(urls.userById(userId), false, userId), d, urls)
                .orElseThrow(() -> Delivery.notFound(GROUP_NO_USER));
        JsonNode saved = writeCompany(groupId, company, d, urls);
        ObjectNode member = Json.object();
        member.set("user_id", user.get("id"));
        member.set("user_custom_id", user.get("custom_id"));
        d.vendor().call(VendorRequest.post(urls.addMember(idText(saved)), Json.stripNulls(member)));
        if (membership != null) d.learn(membership, Json.object().put("written", written), "written");
    }

    /**
     * Writes the company and returns it (with its numeric id). Without a groupId there is nothing to key on: the
     * reference asks for /companies-by-id/undefined/ and creates. A groupId no path can hold is written by the id
     * this instance knows for it, else created (its lookup could only be mis-routed).
     */
    private static JsonNode writeCompany(String groupId, ObjectNode company, Delivery d, UserComUrls urls) {
        VendorRequest create = VendorRequest.post(urls.companies(), company);
        VendorResponse r;
        if (groupId != null && UserComUrls.pathSafe(groupId)) {
            r = d.vendor().updateOrCreate(VendorRequest.put(urls.companyById(groupId), company), COMPANY_UPDATE_FAILED,
                    create, COMPANY_CREATE_FAILED);
        } else {
            JsonNode known = groupId == null ? null : d.recall(urls.companyById(groupId));
            r = known == null ? d.vendor().call(create, COMPANY_CREATE_FAILED)
                    : d.vendor().call(VendorRequest.put(urls.company(idText(known)), company), COMPANY_UPDATE_FAILED);
        }
        JsonNode saved = r.json();
        if (!hasId(saved)) throw Classifier.failure(r, "Company write answered without a company id");
        if (groupId != null) d.learn(urls.companyById(groupId), saved, "id");
        return saved;
    }

    /** A digest of a company body: what D34 remembers of a write, never the body (it holds names and emails). */
    static String fingerprint(ObjectNode body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Cuts each text value longer than the contract's {@code maxLength} for its field to that length, in code points
     * (D31). The event is still delivered; the field's name, never the value, goes to the log line and metric.
     */
    static void cutToLimits(ObjectNode body, Map<String, Integer> limits, Delivery d) {
        limits.forEach((field, max) -> {
            JsonNode v = body.get(field);
            if (v == null || !v.isTextual()) return;
            String text = v.textValue();
            if (text.codePointCount(0, text.length()) <= max) return;
            body.put(field, text.substring(0, text.offsetByCodePoints(0, max)));
            d.valueCut(field);
        });
    }

    // ---- lookups -------------------------------------------------------------------------------------------------

    /**
     * Which lookup 3.4 makes for this event, first applicable branch wins: userKey external id, the {@code lookup}
     * integration option, top-level userId, then the email. Throws the reference's validation messages; no call.
     */
    UserLookup userLookup(Event event, String base) {
        return userLookup(event, new UserComUrls(base));
    }

    private UserLookup userLookup(Event event, UserComUrls urls) {
        JsonNode root = event.root();
        String userKey = userKey(root);
        if (userKey != null) return new UserLookup(urls.search("key", userKey), false);
        JsonNode field = event.integrationOptions(NAMES).path("lookup");
        if (Json.isTruthy(field)) {
            String name = field.isValueNode() ? field.asText() : Json.write(field);
            switch (name) {
                case "email" -> {
                    String email = EMAIL.findText(root);
                    if (email == null) throw ValidationException.missingIdentity("Lookup field : email value is not present");
                    return new UserLookup(urls.search("email", email), false);
                }
                case "phone" -> {
                    String phone = PHONE.findText(root);
                    if (phone == null) throw ValidationException.missingIdentity("Lookup field : phone value is not present");
                    return new UserLookup(urls.search("phone_number", phone), true);
                }
                default -> throw new ValidationException("Lookup field : " + name + " is not supported for this destination");
            }
        }
        JsonNode userId = root.get("userId");
        if (Json.isTruthy(userId) && userId.isValueNode()) return new UserLookup(urls.userById(userId.asText()), false, userId.asText());
        String email = EMAIL.findText(root);
        if (email != null) return new UserLookup(urls.search("email", email), false);
        throw ValidationException.missingIdentity("Default lookup field : email value is empty");
    }

    /** The first {@code userKey} external id, when its id is a non-empty string (a numeric id is ignored, 3.4). */
    private static String userKey(JsonNode root) {
        for (JsonNode ext : EXTERNAL_IDS.get(root)) {
            if ("userKey".equals(ext.path("type").textValue())) return Json.text(ext.get("id"));
        }
        return null;
    }

    /**
     * The user, empty when it does not exist (404 or an empty result, D1); any other answer is a classified failure.
     * A phone search that matches no one or several users is a permanent validation failure (D1, quirk 12). A custom
     * id no path can hold is not looked up (its lookup could only be mis-routed, D33): the upsert by that id in the
     * body answers its numeric id, creating the user when there is none.
     */
    Optional<JsonNode> findUser(UserLookup lookup, Delivery d, UserComUrls urls) {
        UserComBatch batch = d.batch(UserComBatch.KEY);
        Known known = batch.get(lookup.url());
        if (known != null) return Optional.ofNullable(known.entity());
        JsonNode remembered = d.recall(lookup.url());
        if (remembered != null) return Optional.of(remembered);
        JsonNode user;
        if (lookup.customId() != null && !UserComUrls.pathSafe(lookup.customId())) {
            VendorResponse r = d.vendor().call(VendorRequest.post(urls.updateOrCreate(),
                    Json.object().put("custom_id", lookup.customId())), UPSERT_FAILED);
            if (!hasId(r.json())) throw Classifier.failure(r, "User update or create answered without a user id");
            user = Json.object().put("custom_id", lookup.customId()).set("id", r.json().get("id"));
        } else {
            user = d.vendor().find(VendorRequest.get(lookup.url()), USER_LOOKUP_FAILED)
                    .map(r -> userIn(r, lookup.phone()))
                    .orElse(null);
        }
        if (user != null) d.learn(lookup.url(), user, USER_IDS);
        // an event of the batch may have created the user meanwhile: what it stored wins over our "not found"
        Known prior = batch.putIfAbsent(lookup.url(), new Known(user));
        return Optional.ofNullable(prior != null ? prior.entity() : user);
    }

    /** Reads a 2xx lookup answer: a user object, or a {@code results} list (always for phone searches). */
    static JsonNode userIn(VendorResponse response, boolean phone) {
        JsonNode body = response.json();
        if (!phone && hasId(body)) return body;
        JsonNode results = body.path("results");
        if (results.isArray()) {
            if (results.size() > 1) throw new ValidationException(SEVERAL_MATCHES);
            if (results.isEmpty()) {
                if (phone) throw new ValidationException(NO_MATCH);
                return null;
            }
            if (hasId(results.get(0))) return results.get(0);
        } else if (body.isMissingNode() || body.isNull() || (body.isObject() && body.isEmpty())) {
            return null;
        }
        throw Classifier.failure(response, "User lookup answered without a user id");
    }

    /**
     * After a write, later events (of the batch, and of later batches by its ids) find the user under the URL this
     * event looked it up by, and under users-by-id of the custom id just written (the URL a later track or group
     * with that userId uses). An answer without a user key (an upsert answers only the id) keeps the key and custom
     * id already known for the same numeric id.
     */
    private static void remember(Delivery d, UserComUrls urls, String lookupUrl, ObjectNode written, JsonNode answer) {
        UserComBatch batch = d.batch(UserComBatch.KEY);
        ObjectNode user = Json.object();
        for (String field : USER_IDS) {
            if (answer.hasNonNull(field)) user.set(field, answer.get(field));
        }
        JsonNode customId = written.path("custom_id");
        boolean hasCustomId = customId.isValueNode() && Json.isTruthy(customId);
        if (!user.has("custom_id") && hasCustomId) user.set("custom_id", customId); // an upsert answers only the id
        Known before = batch.get(lookupUrl);
        JsonNode prior = before != null && before.entity() != null ? before.entity() : d.recall(lookupUrl);
        if (prior != null && prior.path("id").asText().equals(user.path("id").asText())) {
            prior.properties().forEach(f -> {
                if (!user.has(f.getKey())) user.set(f.getKey(), f.getValue());
            });
        }
        Known known = new Known(user);
        batch.put(lookupUrl, known);
        d.learn(lookupUrl, user, USER_IDS);
        if (hasCustomId) {
            String byId = urls.userById(customId.asText());
            batch.put(byId, known);
            d.learn(byId, user, USER_IDS);
        }
    }

    // ---- bodies --------------------------------------------------------------------------------------------------

    /** The user body (3.5): standard fields, then mapped custom attributes, then the other traits; nulls removed. */
    ObjectNode identifyBody(Event event, UserComSettings settings) {
        ObjectNode body = USER.apply(event.root());
        ObjectNode pool = Json.object();
        JsonNode traits = TRAITS.find(event.root());
        if (traits.isObject()) pool.setAll((ObjectNode) traits);
        JsonNode contextTraits = CONTEXT_TRAITS.get(event.root());
        if (contextTraits.isObject()) pool.setAll((ObjectNode) contextTraits); // context wins on equal keys
        body.setAll(customAttributes(pool, settings.userAttributes(), USER_EXCLUDED));
        return Json.stripNulls(body);
    }

    /** The event body (3.6) with the found user's id still to be set; userEvents renames when exactly one row matches. */
    ObjectNode trackBody(Event event, UserComSettings settings) {
        ObjectNode body = EVENT.apply(event.root());
        String name = event.root().path("event").asText();
        List<UserComSettings.UserEvent> rows = settings.userEvents().stream().filter(u -> u.rsEventName().equals(name)).toList();
        if (rows.size() == 1) {
            UserComSettings.UserEvent row = rows.get(0);
            if (!row.userEventName().isBlank()) body.put("name", row.userEventName());
            JsonNode properties = event.root().get("properties");
            if (properties != null && properties.isObject()) body.set("data", customAttributes(properties, row.properties(), Set.of()));
        }
        return Json.stripNulls(body);
    }

    /** The site-view body (3.7) with client_user still to be replaced by the found user's key. */
    ObjectNode pageBody(Event event) {
        JsonNode root = event.root();
        if (PAGE_URL.find(root).isMissingNode()) throw new ValidationException("Parameter url is required");
        if (PAGE_PATH.find(root).isMissingNode()) throw new ValidationException("Parameter path is required");
        if (TIMESTAMP.find(root).isMissingNode()) throw new ValidationException("Parameter timestamp is required");
        return SITE_VIEW.apply(root);
    }

    /**
     * The company body (3.8): standard fields, an address object concatenated, then custom company attributes from
     * the group's traits. Not null-stripped, as in the reference. A group without a name is rejected here, also
     * when the event has no traits at all (the reference crashes there, D4).
     */
    ObjectNode companyBody(Event event, UserComSettings settings) {
        JsonNode traits = TRAITS.find(event.root());
        if (!traits.isObject() || !Json.isTruthy(traits.get("name"))) throw new ValidationException("Parameter name is required");
        ObjectNode body = COMPANY.apply(event.root());
        JsonNode address = body.get("address");
        if (address != null && address.isContainerNode()) body.put("address", concatenated(address));
        body.setAll(customAttributes(traits, settings.companyAttributes(), COMPANY_EXCLUDED));
        body.remove("userId");
        COMPANY_READ_ONLY.forEach(body::remove); // a pass-through trait named like a field the vendor sets itself (D29)
        return body;
    }

    /**
     * Custom attributes (3.5, 3.6, 3.8): a mapped key whose value is truthy is renamed; every other key that is not
     * excluded passes through under its own name. The consumed keys live in a per-call set (D4: the reference adds
     * them to its shared exclusion list, so later events lost attributes).
     */
    static ObjectNode customAttributes(JsonNode pool, Map<String, String> mapping, Set<String> excluded) {
        ObjectNode out = Json.object();
        Set<String> consumed = new HashSet<>();
        mapping.forEach((from, to) -> {
            JsonNode value = pool.get(from);
            if (!to.isEmpty() && Json.isTruthy(value)) {
                out.set(to, value);
                consumed.add(from);
            }
        });
        pool.properties().forEach(e -> {
            if (!excluded.contains(e.getKey()) && !consumed.contains(e.getKey())) out.set(e.getKey(), e.getValue());
        });
        return out;
    }

    /** An address object's values as one string, no separator, in key order (JavaScript string concatenation). */
    static String concatenated(JsonNode address) {
        StringBuilder out = new StringBuilder();
        address.forEach(v -> out.append(JavaScript.string(v)));
        return out.toString();
    }

    private static boolean hasId(JsonNode node) {
        return node != null && node.isObject() && Json.isTruthy(node.get("id")) && node.get("id").isValueNode();
    }

    private static String idText(JsonNode entity) {
        return entity.get("id").asText();
    }

    private static final VendorClient.Step DELETE_USER = VendorClient.Step.named("User deletion failed");

    /**
     * Deletion (D48): {@code DELETE /users-by-id/<custom_id>/} per user, the trailing slash required (vendor-apis
     * "User.com", UC-NET f8fcf82); every record checked first (D10); a 404 (no such user) counts as done. A custom id
     * no path can hold (D33) is deleted by its numeric id, which only the upsert by custom id in the body answers.
     */
    private static void deleteUsers(Event event, Delivery d, UserComUrls urls) {
        for (String id : Erasure.userIds(event)) {
            if (UserComUrls.pathSafe(id)) {
                d.deleteUser(id, "DELETE /users-by-id/{custom_id}/", VendorRequest.delete(urls.userById(id)), DELETE_USER);
                continue;
            }
            VendorResponse r = d.vendor().call(VendorRequest.post(urls.updateOrCreate(), Json.object().put("custom_id", id)), UPSERT_FAILED);
            if (!hasId(r.json())) throw Classifier.failure(r, "User update or create answered without a user id");
            d.deleteUser(id, "DELETE /users/{id}/", VendorRequest.delete(urls.user(r.json().get("id").asText())), DELETE_USER);
        }
    }
}
