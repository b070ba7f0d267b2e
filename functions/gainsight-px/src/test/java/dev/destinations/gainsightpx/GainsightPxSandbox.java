package dev.destinations.gainsightpx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.testkit.VendorStub.Reply;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;
import dev.destinations.testkit.contract.VendorContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gainsight PX as its contract ({@code contract.json}) describes it, with state. A request that breaks the contract
 * is answered by the base class (PX's 400 naming the field) and fails the test that sent it. Otherwise:
 * <ul>
 *   <li>users and accounts are records by id (case-sensitive): a create makes one (a second create is PX's 400
 *       "possible duplicate"), an update merges its fields into it, a read returns it; an unknown id is a 404;</li>
 *   <li>read-only fields ({@code createDate}, {@code lastSeenDate}, ...) never reach the records (the base class
 *       drops them, as PX ignores them);</li>
 *   <li>the id-in-body variants ({@code PUT /users/update}, {@code PUT /accounts/update}, {@code DELETE
 *       /users/delete}) act as their path forms, with the body's id;</li>
 *   <li>a user delete is soft unless {@code hardDelete=true}: a soft-deleted user is hidden (a read is a 404) and is
 *       revived with its fields when created or updated again (GPX-SW says within 7 days; this sandbox's clock never
 *       passes them); a hard-deleted one is gone;</li>
 *   <li>custom events are kept in arrival order.</li>
 * </ul>
 */
public final class GainsightPxSandbox extends ContractSandbox {
    public static final VendorContract CONTRACT = VendorContract.load(GainsightPxDestination.class.getResource("contract.json"));

    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final Map<String, ObjectNode> softDeleted = new LinkedHashMap<>();
    private final Map<String, ObjectNode> accounts = new LinkedHashMap<>();
    private final List<ObjectNode> events = new ArrayList<>();

    /** Under {@code /v1}, as the handler tests give the function {@code <stub>/v1}. */
    public GainsightPxSandbox() {
        this("/v1");
    }

    /** @param prefix the path of the base URL the function is given */
    public GainsightPxSandbox(String prefix) {
        super(CONTRACT, prefix);
    }

    /** Found by the tools through the module's test-jar. */
    public static final class Provider implements SandboxProvider {
        @Override
        public String slug() {
            return "gainsight-px";
        }

        @Override
        public ContractSandbox create(String prefix) {
            return new GainsightPxSandbox(prefix);
        }
    }

    public synchronized GainsightPxSandbox withUsers(String... ids) {
        for (String id : Set.of(ids)) users.put(id, record("identifyId", id));
        return this;
    }

    public synchronized GainsightPxSandbox withAccounts(String... ids) {
        for (String id : Set.of(ids)) accounts.put(id, record("id", id));
        return this;
    }

    public synchronized boolean hasUser(String id) {
        return users.containsKey(id);
    }

    public synchronized boolean hasAccount(String id) {
        return accounts.containsKey(id);
    }

    /** The user is gone at the vendor (deleted elsewhere, hard). */
    public synchronized void removeUser(String id) {
        users.remove(id);
        softDeleted.remove(id);
    }

    /** The account is gone at the vendor (deleted elsewhere). */
    public synchronized void removeAccount(String id) {
        accounts.remove(id);
    }

    /** The user's record as PX holds it (a copy), or null. */
    public synchronized ObjectNode user(String id) {
        return users.containsKey(id) ? users.get(id).deepCopy() : null;
    }

    /** The account's record as PX holds it (a copy), or null. */
    public synchronized ObjectNode account(String id) {
        return accounts.containsKey(id) ? accounts.get(id).deepCopy() : null;
    }

    /** Whether the user was deleted softly (hidden, revivable). */
    public synchronized boolean softlyDeleted(String id) {
        return softDeleted.containsKey(id);
    }

    /** The custom events received, in order (copies). */
    public synchronized List<ObjectNode> events() {
        return events.stream().map(ObjectNode::deepCopy).toList();
    }

    @Override
    protected Reply serve(Call c) {
        if (presumesExisting()) presume(c);
        return switch (c.endpoint()) {
            case "events.custom" -> {
                events.add((ObjectNode) c.body());
                yield Reply.json(201, "{}");
            }
            case "users.create" -> createUser(text(c.body(), "identifyId"), c.body());
            case "users.get" -> get(users, c.id("identifyId"));
            case "users.update" -> updateUser(c.id("identifyId"), c.body());
            case "users.updateByBody" -> updateUser(text(c.body(), "identifyId"), c.body());
            case "users.delete" -> deleteUser(c.id("identifyId"), c.query());
            case "users.deleteByBody" -> deleteUser(text(c.body(), "identifyId"), c.query());
            case "accounts.create" -> createAccount(text(c.body(), "id"), c.body());
            case "accounts.get" -> get(accounts, c.id("id"));
            case "accounts.update" -> updateAccount(c.id("id"), c.body());
            case "accounts.updateByBody" -> updateAccount(text(c.body(), "id"), c.body());
            default -> throw new IllegalStateException("GainsightPxSandbox does not serve " + c.endpoint());
        };
    }

    @Override
    protected void clearState() {
        users.clear();
        softDeleted.clear();
        accounts.clear();
        events.clear();
    }

    /** {@link #presumeExisting}: the user or account this call reads or updates is there, created on the spot if need be. */
    private void presume(Call c) {
        switch (c.endpoint()) {
            case "users.get", "users.update" -> users.computeIfAbsent(c.id("identifyId"), id -> record("identifyId", id));
            case "users.updateByBody" -> users.computeIfAbsent(text(c.body(), "identifyId"), id -> record("identifyId", id));
            case "accounts.get", "accounts.update" -> accounts.computeIfAbsent(c.id("id"), id -> record("id", id));
            case "accounts.updateByBody" -> accounts.computeIfAbsent(text(c.body(), "id"), id -> record("id", id));
            default -> { }
        }
    }

    private Reply createUser(String id, JsonNode body) {
        if (users.containsKey(id)) return error(400, "identifyId", "Bad request, possible duplicate");
        ObjectNode revived = softDeleted.remove(id);
        users.put(id, merged(revived != null ? revived : record("identifyId", id), body));
        return Reply.json(201, "{}");
    }

    private Reply updateUser(String id, JsonNode body) {
        ObjectNode user = users.get(id);
        if (user == null && softDeleted.containsKey(id)) users.put(id, user = softDeleted.remove(id)); // revived (GPX-SW)
        if (user == null) return notFound("identifyId", id);
        users.put(id, merged(user, body));
        return Reply.status(204);
    }

    private Reply deleteUser(String id, Map<String, String> query) {
        boolean hard = "true".equals(query.get("hardDelete"));
        ObjectNode user = users.remove(id);
        if (user == null && !(hard && softDeleted.remove(id) != null)) return notFound("identifyId", id);
        if (user != null && !hard) softDeleted.put(id, user);
        return Reply.status(204);
    }

    private Reply createAccount(String id, JsonNode body) {
        if (accounts.containsKey(id)) return error(400, "id", "Bad request, possible duplicate");
        accounts.put(id, merged(record("id", id), body));
        return Reply.json(201, "{}");
    }

    private Reply updateAccount(String id, JsonNode body) {
        ObjectNode account = accounts.get(id);
        if (account == null) return notFound("id", id);
        accounts.put(id, merged(account, body));
        return Reply.status(204);
    }

    private Reply get(Map<String, ObjectNode> records, String id) {
        return records.containsKey(id) ? json(200, records.get(id)) : notFound("id", id);
    }

    private Reply notFound(String field, String id) {
        return error(404, field, "not found for parameters {id=" + id + "}");
    }

    private static ObjectNode record(String idField, String id) {
        ObjectNode r = object();
        r.put(idField, id);
        if (idField.equals("identifyId")) r.put("id", id); // PX's synonym, output only
        return r;
    }

    /** The record with the body's fields over it (a field-by-field update; the id stays the record's). */
    private static ObjectNode merged(ObjectNode record, JsonNode body) {
        ObjectNode out = record.deepCopy();
        if (body != null && body.isObject()) {
            body.properties().forEach(e -> {
                if (!e.getKey().equals("id") && !e.getKey().equals("identifyId")) out.set(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    /** An id from a body: text as sent (a numeric id as its JSON text), or null. */
    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
