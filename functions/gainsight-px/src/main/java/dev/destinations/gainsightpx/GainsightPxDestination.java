package dev.destinations.gainsightpx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Classifier;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.VendorClient;
import dev.destinations.delivery.VendorRequest;
import dev.destinations.delivery.VendorResponse;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.FieldRules;
import dev.destinations.mapping.Json;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.Path;
import dev.destinations.mapping.Timestamps;
import dev.destinations.mapping.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gainsight PX (spec section 4 and decisions D2-D5, D9-D13, D15, D16, D23, D24). track is one call; identify
 * updates the user and creates it when the update answers 404 (D23); group checks the user, upserts the account and
 * links the user to it (or, with {@code limitAPIForGroup}, updates the account, creates it on a 404 (D3), and links
 * the user).
 *
 * <p>Everything that can reject an event is checked before the first call (D10). Every call is classified by
 * {@link Classifier} (D2: any 2xx is success); the failure text starts with the reference's message for that step
 * (D16). Within one SQS batch a user or account is looked up once: what exists is remembered in {@link
 * GainsightPxBatch} (a create counts), a failed lookup never is, and a per-entity lock keeps concurrent users
 * of the batch from checking or creating the same account twice. Across batches the instance remembers which users
 * and accounts exist ({@link Delivery#recall}); a 404 from a write that relied on that makes the event forget it
 * and start again with the checks (D24). All PX writes here are upserts or creates guarded
 * by a check, so repeating a message is safe, except {@code /events/custom}, which may duplicate an event.
 */
public final class GainsightPxDestination implements Destination<GainsightPxSettings> {
    /** The names under which an event's {@code integrations} object addresses this destination (spec 1.6). */
    static final List<String> NAMES = List.of("GAINSIGHT_PX", "GAINSIGHTPX", "gainsightPx", "Gainsight PX", "gainsight px", "Gainsight Px");

    static final String USER_FETCH = "error while fetching user";
    static final String ACCOUNT_FETCH = "error while fetching account";
    static final String ACCOUNT_UPDATE = "error while updating account";
    static final String ACCOUNT_CREATE = "error while creating account";
    static final String ACCOUNT_UPDATE_REJECTED = "failed to update account for group";
    static final String ACCOUNT_CREATE_REJECTED = "failed to create account for group";
    static final String GROUP_NO_USER = "aborting group call";
    /** D37: PX's CustomEvent requires eventName. */
    static final String NO_EVENT_NAME = "event is required for track: Gainsight PX requires an event name";
    private static final VendorClient.Step USER_UPDATE = VendorClient.Step.named("user update not accepted");
    private static final VendorClient.Step USER_CREATE = VendorClient.Step.named("user creation not accepted");
    private static final VendorClient.Step LINK = VendorClient.Step.named("user's account link not accepted");
    private static final VendorClient.Step ACCOUNT_UPDATE_STEP = pxStep(ACCOUNT_UPDATE_REJECTED, ACCOUNT_UPDATE);
    private static final VendorClient.Step ACCOUNT_CREATE_STEP = pxStep(ACCOUNT_CREATE_REJECTED, ACCOUNT_CREATE);
    /** Vendor error texts can be whole HTML pages: keep the reason readable. */
    static final int ERROR_TEXT_MAX_CHARS = 300;

    private static final FieldRules USER = FieldRules.load(GainsightPxDestination.class, "identify.json");
    private static final FieldRules ACCOUNT = FieldRules.load(GainsightPxDestination.class, "account.json");
    private static final FieldRules EVENT = FieldRules.load(GainsightPxDestination.class, "track.json");

    /** Traits with a PX user field of their own (4.5 step 6). Immutable: every event filters through it (D4). */
    private static final Set<String> USER_RESERVED = Set.of("email", "firstName", "lastName", "gender", "lastSeenDate",
            "signUpDate", "firstVisitDate", "title", "phone", "score", "role", "subscriptionId", "numberOfVisits",
            "createDate", "globalUnsubscribe", "sfdcContactId", "countryName", "countryCode", "stateName", "stateCode",
            "city", "street", "postalCode", "continent", "regionName", "timeZone", "latitude", "longitude");
    /** Group traits with a PX account field of their own (4.7 step 5). */
    private static final Set<String> ACCOUNT_RESERVED = Set.of("name", "trackedSubscriptionId", "sfdcId", "dunsNumber",
            "industry", "numberOfEmployees", "sicCode", "website", "naicsCode", "plan", "numberOfUsers", "parentGroupId",
            "createDate", "lastModifiedDate", "lastSeenDate", "countryName", "countryCode", "stateName", "stateCode",
            "city", "street", "postalCode", "continent", "regionName", "timeZone", "latitude", "longitude");

    private static final Lookup USER_ID = Lookup.generic("userId");
    private static final Lookup GROUP_ID = Lookup.generic("groupId");
    private static final Lookup NAME = Lookup.generic("name");
    private static final Lookup TIMESTAMP = Lookup.generic("timestamp");
    private static final Path TRAITS = Path.of("traits");
    private static final Path CONTEXT_TRAITS = Path.of("context.traits");
    private static final Path PROPERTIES = Path.of("properties");

    @Override
    public String slug() {
        return "gainsight-px";
    }

    @Override
    public List<String> integrationNames() {
        return NAMES;
    }

    @Override
    public Set<EventType> handledTypes() {
        return EnumSet.of(EventType.IDENTIFY, EventType.TRACK, EventType.GROUP, EventType.USER_DELETION);
    }

    @Override
    public String missingTypeMessage() {
        return "Message Type is not present. Aborting message.";
    }

    @Override
    public String unknownTypeMessage(String type) {
        return "message type " + type + " not supported";
    }

    @Override
    public String missingApiKeyMessage(EventType type) {
        return "Invalid API Key. Aborting message.";
    }

    @Override
    public Set<String> settingsKeys() {
        return GainsightPxSettings.KEYS;
    }

    @Override
    public GainsightPxSettings settings(JsonNode merged) {
        return GainsightPxSettings.parse(merged);
    }

    @Override
    public Map<String, String> headers(String apiKey) {
        return Map.of("X-APTRINSIC-API-KEY", apiKey, "Content-Type", "application/json");
    }

    @Override
    public String baseUrl(GainsightPxSettings settings, String override) {
        return override != null ? override : settings.dataCenter().baseUrl();
    }

    /** /events/custom adds an event each time; user and account writes are upserts. */
    @Override
    public boolean deduplicates(EventType type, GainsightPxSettings settings) {
        return type == EventType.TRACK;
    }

    @Override
    public void deliver(Event event, EventType type, GainsightPxSettings settings, Delivery d) {
        if (type == EventType.USER_DELETION) { // needs no product tag key
            deleteUsers(event, d, new GainsightPxUrls(d.baseUrl()));
            return;
        }
        // 4.3 step 3: after the type and API key checks (EventProcessor), before anything about the event
        if (settings.productTagKey() == null) throw new Failure(Reason.CONFIGURATION, "product tag key is required");
        GainsightPxUrls urls = new GainsightPxUrls(d.baseUrl());
        switch (type) {
            case IDENTIFY -> identify(event, settings, d, urls);
            case TRACK -> d.vendor().call(VendorRequest.post(urls.customEvents(), customEvent(event, settings)), "custom event not accepted");
            case GROUP -> group(event, settings, d, urls);
            default -> throw new IllegalStateException("not a Gainsight PX type: " + type);
        }
    }

    // ---------------------------------------------------------------------------------------------------- identify

    /**
     * identify (4.5, D23): PUT the user; when that answers 404 the user is new: POST it with its id and default
     * sign-up date. One call for a known user, where the reference GETs first; the bodies are the reference's
     * without PX's read-only fields (D36). An id that cannot sit in a path is updated through {@code PUT
     * /users/update} with the id in the body (D35).
     */
    private void identify(Event event, GainsightPxSettings settings, Delivery d, GainsightPxUrls urls) {
        JsonNode uid = requireId(USER_ID, event, "userId or anonymousId is required for identify");
        ObjectNode user = identifyUser(event, settings);
        String userUrl = urls.user(uid);
        locked(d, userUrl, () -> {
            d.vendor().updateOrCreate(userUpdate(urls, uid, user), USER_UPDATE,
                    VendorRequest.post(urls.users(), newUser(event, user, uid)), USER_CREATE);
            exists(d, userUrl);
        });
    }

    /** The update of user {@code uid} with {@code body}: its path, or PX's id-in-body variant (D35). */
    private static VendorRequest userUpdate(GainsightPxUrls urls, JsonNode uid, ObjectNode body) {
        if (GainsightPxUrls.inPath(uid)) return VendorRequest.put(urls.user(uid), body);
        ObjectNode withId = body.deepCopy();
        withId.set("identifyId", uid);
        return VendorRequest.put(urls.userUpdate(), withId);
    }

    /** The user body for an existing user (4.5 steps 3, 4, 6, 7). */
    ObjectNode identifyUser(Event event, GainsightPxSettings settings) {
        JsonNode root = event.root();
        ObjectNode user = USER.apply(root);
        JsonNode name = NAME.find(root);
        if (name.isTextual()) {
            // the reference's name.split(' '): two pieces at most; a leading space gives an empty firstName (quirk 17)
            String[] pieces = name.textValue().split(" ", -1);
            user.put("firstName", pieces[0]);
            if (pieces.length > 1) user.put("lastName", pieces[1]);
            else user.remove("lastName");
        }
        ObjectNode traits = Json.object();
        for (Path p : List.of(TRAITS, CONTEXT_TRAITS)) {
            p.get(root).properties().forEach(e -> {
                if (!USER_RESERVED.contains(e.getKey())) traits.set(e.getKey(), e.getValue());
            });
        }
        user.set("customAttributes", mapped(traits, settings.userAttributeMap(), false));
        user.putArray("propertyKeys").add(settings.productTagKey());
        user.put("type", "USER");
        return Json.stripNulls(user);
    }

    /**
     * A new user's body (4.5 steps 5, 8): the event's time as the default sign-up date, and its id. D21: signUpDate
     * may be createdAt. D36: no createDate, which PX sets itself (read-only).
     */
    static ObjectNode newUser(Event event, ObjectNode existingUserBody, JsonNode uid) {
        ObjectNode user = existingUserBody.deepCopy();
        Long time = Timestamps.epochMillis(TIMESTAMP.find(event.root()));
        if (time != null && !user.has("signUpDate")) user.put("signUpDate", time);
        user.set("identifyId", uid);
        return user;
    }

    // ------------------------------------------------------------------------------------------------------- track

    /**
     * The custom event, checked: PX requires {@code eventName} (GPX-SW CustomEvent), so a track without an event
     * name is a validation failure before any call (D37), where the reference sends it and PX answers 400.
     */
    ObjectNode customEvent(Event event, GainsightPxSettings settings) {
        ObjectNode body = track(event, settings);
        JsonNode name = body.path("eventName");
        if (!name.isTextual() || name.textValue().isEmpty()) throw new ValidationException(NO_EVENT_NAME);
        return body;
    }

    /** The custom event (4.6), as the reference builds it. */
    ObjectNode track(Event event, GainsightPxSettings settings) {
        JsonNode root = event.root();
        ObjectNode body = EVENT.apply(root);
        JsonNode properties = PROPERTIES.get(root);
        ObjectNode attributes = body.putObject("attributes");
        properties.properties().forEach(e -> {
            if (e.getKey().equals("globalContext")) return;
            JsonNode v = e.getValue();
            // the reference's formatEventProps: objects, arrays and null (typeof "object") become compact JSON (quirk 16),
            // JSON.stringify's text exactly, numbers included
            attributes.set(e.getKey(), v.isContainerNode() || v.isNull() ? Json.NODES.textNode(Json.writeAsJavaScript(v)) : v);
        });
        body.put("propertyKey", settings.productTagKey());
        body.put("userType", "USER");
        JsonNode override = properties.path("globalContext");
        if (override.isObject() && !override.isEmpty()) {
            body.set("globalContext", override);
        } else if (!settings.globalContextMap().isEmpty()) {
            ObjectNode context = body.putObject("globalContext");
            settings.globalContextMap().forEach(context::put);
        }
        return Json.stripNulls(body);
    }

    // ------------------------------------------------------------------------------------------------------- group

    /**
     * group (4.7, 4.8). Both ids and the account body are checked before any call (D10), so the reference's order
     * (user GET before the groupId check) does not apply.
     */
    private void group(Event event, GainsightPxSettings settings, Delivery d, GainsightPxUrls urls) {
        JsonNode uid = requireId(USER_ID, event, "userId or anonymousId is required for group");
        JsonNode gid = requireId(GROUP_ID, event, "groupId is required for group");
        ObjectNode account = account(event, settings);
        ObjectNode newAccount = newAccount(account, gid);
        boolean reduced = Json.isTruthy(event.integrationOptions(NAMES).path("limitAPIForGroup"));
        boolean userInPath = GainsightPxUrls.inPath(uid);
        if (reduced || !GainsightPxUrls.inPath(gid)) {
            upsertAccount(d, urls, gid, account, newAccount);
        } else {
            if (userInPath) requireUser(d, urls.user(uid));
            checkAndWriteAccount(d, urls, gid, account, newAccount);
        }
        ObjectNode link = Json.object();
        link.set("accountId", gid);
        if (userInPath) {
            d.vendor().call(VendorRequest.put(urls.user(uid), link), LINK);
        } else {
            // D35: no GET for this id; the link's 404 is the user check (the default flow's "aborting group call")
            d.vendor().require(userUpdate(urls, uid, link), LINK, absent -> Delivery.notFound(GROUP_NO_USER + ": user not found (HTTP 404)"));
        }
        exists(d, urls.user(uid));
    }

    /** The default flow's user check: a user that is not there (yet) is D11's "dependency not ready". */
    private static void requireUser(Delivery d, String userUrl) {
        locked(d, userUrl, () -> {
            if (known(d, userUrl)) return;
            d.vendor().require(VendorRequest.get(userUrl), pxStep(USER_FETCH), absent -> {
                String text = errorText(absent);
                return Delivery.notFound(GROUP_NO_USER + ": " + (text.isEmpty() ? "user not found (HTTP 404)" : text));
            });
            exists(d, userUrl);
        });
    }

    /** The default flow's account step (4.7 steps 4, 6): GET, then PUT (exists) or POST with the id (absent). */
    private static void checkAndWriteAccount(Delivery d, GainsightPxUrls urls, JsonNode gid, ObjectNode account, ObjectNode newAccount) {
        String accountUrl = urls.account(gid);
        locked(d, accountUrl, () -> {
            boolean exists = known(d, accountUrl) || d.vendor().find(VendorRequest.get(accountUrl), pxStep(ACCOUNT_FETCH)).isPresent();
            if (exists) d.vendor().call(VendorRequest.put(accountUrl, account), ACCOUNT_UPDATE_STEP);
            else d.vendor().call(VendorRequest.post(urls.accounts(), newAccount), ACCOUNT_CREATE_STEP);
            exists(d, accountUrl);
        });
    }

    /**
     * The reduced flow's account step (4.8, D3): PUT, and on a 404 create the account, as the reference intends.
     * Also the default flow's for an account id that cannot sit in a path (D35): PX has no GET with the id in the
     * body, so it is updated through {@code PUT /accounts/update} and created on a 404.
     */
    private static void upsertAccount(Delivery d, GainsightPxUrls urls, JsonNode gid, ObjectNode account, ObjectNode newAccount) {
        String accountUrl = urls.account(gid);
        VendorRequest update;
        if (GainsightPxUrls.inPath(gid)) {
            update = VendorRequest.put(accountUrl, account);
        } else {
            ObjectNode withId = account.deepCopy();
            withId.set("id", gid);
            update = VendorRequest.put(urls.accountUpdate(), withId);
        }
        locked(d, accountUrl, () -> {
            d.vendor().updateOrCreate(update, ACCOUNT_UPDATE_STEP,
                    VendorRequest.post(urls.accounts(), newAccount), ACCOUNT_CREATE_STEP);
            exists(d, accountUrl);
        });
    }

    /** Whether the user or account at {@code url} is known to exist: found or written in this batch, or remembered. */
    private static boolean known(Delivery d, String url) {
        return d.batch(GainsightPxBatch.KEY).exists(url) || d.recall(url) != null;
    }

    /** The user or account at {@code url} exists: later events of this batch and of later batches skip its check. */
    private static void exists(Delivery d, String url) {
        d.batch(GainsightPxBatch.KEY).existsNow(url);
        d.learn(url, null);
    }

    /** A new account's body: the account body and its id (D36: no createDate, which PX sets itself, read-only). */
    static ObjectNode newAccount(ObjectNode existingAccountBody, JsonNode gid) {
        ObjectNode account = existingAccountBody.deepCopy();
        account.set("id", gid);
        return account;
    }

    /** The account body (4.7 step 5). */
    ObjectNode account(Event event, GainsightPxSettings settings) {
        ObjectNode account = ACCOUNT.apply(event.root());
        JsonNode traits = TRAITS.get(event.root());
        ObjectNode custom = Json.object();
        traits.properties().forEach(e -> {
            if (!ACCOUNT_RESERVED.contains(e.getKey())) custom.set(e.getKey(), e.getValue());
        });
        ObjectNode mapped = mapped(custom, settings.accountAttributeMap(), true);
        if (!mapped.isEmpty()) account.set("customAttributes", mapped);
        account.putArray("propertyKeys").add(settings.productTagKey());
        return Json.stripNulls(account);
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    /**
     * A side call's failure text as the reference builds it (4.4, D2): {@code <context>: <error text>}; the body is
     * already in the error text, so the classifier adds only the status.
     */
    static VendorClient.Step pxStep(String context) {
        return VendorClient.Step.describedBy(r -> withErrorText(context, r));
    }

    /** An account write's text: a 400 gets the reference's "failed to ..." context, any other failure {@code context}. */
    static VendorClient.Step pxStep(String rejected, String context) {
        return VendorClient.Step.describedBy(r -> withErrorText(Classifier.badRequest(r.status()) ? rejected : context, r));
    }

    private static String withErrorText(String context, VendorResponse r) {
        String text = errorText(r);
        return text.isEmpty() ? context + ":" : context + ": " + text;
    }

    /** The reference's error text: the JSON of {@code body.externalapierror} if present, else of the body; "" when empty. */
    static String errorText(VendorResponse r) {
        if (r.body() == null || r.body().isBlank()) return "";
        JsonNode json = r.json();
        String text = json.isMissingNode() ? Json.write(Json.NODES.textNode(r.body()))
                : Json.write(json.has("externalapierror") ? json.get("externalapierror") : json);
        return text.length() <= ERROR_TEXT_MAX_CHARS ? text : text.substring(0, ERROR_TEXT_MAX_CHARS) + "...";
    }

    /** The entries of {@code source} named in {@code map}, renamed; nulls kept only when {@code keepNulls}. */
    private static ObjectNode mapped(ObjectNode source, Map<String, String> map, boolean keepNulls) {
        ObjectNode out = Json.object();
        map.forEach((from, to) -> {
            JsonNode v = source.get(from);
            if (v != null && (keepNulls || !v.isNull()) && !to.isBlank()) out.set(to, v);
        });
        return out;
    }

    /** The id a flow needs (uid or gid): a truthy scalar, else the reference's validation message. */
    private static JsonNode requireId(Lookup lookup, Event event, String message) {
        JsonNode id = lookup.find(event.root());
        if (!id.isValueNode() || !Json.isTruthy(id)) throw new ValidationException(message);
        return id;
    }

    /** Holds the batch's lock for one user or account while {@code step} checks and writes it. */
    private static void locked(Delivery d, String key, Runnable step) {
        ReentrantLock lock = d.batch(GainsightPxBatch.KEY).lock(key);
        lock.lock();
        try {
            step.run();
        } finally {
            lock.unlock();
        }
    }


    private static final VendorClient.Step DELETE_USER = VendorClient.Step.named("user deletion failed");

    /**
     * Deletion (D48): a hard delete per user, so that a later write cannot revive the user with its history within
     * PX's 7 days (vendor-apis "Gainsight PX", GPX-SW): {@code DELETE /v1/users/{identifyId}?hardDelete=true}, or for
     * an id that cannot go in a path {@code DELETE /v1/users/delete?hardDelete=true} with {@code {"identifyId": ...}}.
     * Every record is checked first (D10); a 404 (no such user) counts as done.
     */
    private static void deleteUsers(Event event, Delivery d, GainsightPxUrls urls) {
        for (String id : Erasure.userIds(event)) {
            if (GainsightPxUrls.inPath(Json.NODES.textNode(id))) {
                d.deleteUser(id, "DELETE /v1/users/{identifyId}?hardDelete=true", VendorRequest.delete(urls.hardDelete(id)), DELETE_USER);
            } else {
                d.deleteUser(id, "DELETE /v1/users/delete?hardDelete=true", VendorRequest.delete(urls.hardDeleteById(),
                        Json.object().put("identifyId", id)), DELETE_USER);
            }
        }
    }
}
