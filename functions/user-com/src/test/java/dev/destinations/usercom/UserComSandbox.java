package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;
import dev.destinations.testkit.contract.VendorContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * User.com as its contract ({@code contract.json}) describes it, with state, as the real API behaves: users by
 * numeric id, custom id, email and user key; companies by id and custom id, with their members; the events and site
 * views posted. A request that breaks the contract gets the vendor's 400 naming the field (the base class);
 * what the sandbox does not have answers 404 {@code {"detail":"Not found."}}; custom ids are case-sensitive; read-only
 * fields are dropped before a write. Several users may share a custom id only if a flow created them so: {@link
 * #users(String)} lets a test see such a duplicate.
 */
public final class UserComSandbox extends ContractSandbox {
    public static final VendorContract CONTRACT = VendorContract.load(UserComDestination.class.getResource("contract.json"));

    /** Users in creation order (a duplicate custom id stays visible); each has id, user_key and what was written. */
    private final List<ObjectNode> users = new ArrayList<>();
    private final List<ObjectNode> companies = new ArrayList<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private final List<ObjectNode> siteViews = new ArrayList<>();
    private int ids = 1000;

    /** @param prefix the path of the base URL the function is given, e.g. {@code /api/public} */
    public UserComSandbox(String prefix) {
        super(CONTRACT, prefix);
    }

    /** Found by the tools through the module's test-jar. */
    public static final class Provider implements SandboxProvider {
        @Override
        public String slug() {
            return "user-com";
        }

        @Override
        public ContractSandbox create(String prefix) {
            return new UserComSandbox(prefix);
        }
    }

    // ---- state a test sets up or reads ------------------------------------------------------------------------

    public synchronized UserComSandbox user(String customId, int id, String email) {
        ObjectNode u = object().put("id", id).put("user_key", "key-" + id).put("custom_id", customId);
        if (email != null) u.put("email", email);
        u.putArray("companies");
        users.add(u);
        return this;
    }

    /** The user is deleted at the vendor (by someone else): its ids now answer 404. */
    public synchronized UserComSandbox delete(String customId) {
        users.removeIf(u -> customId.equals(u.path("custom_id").asText(null)));
        return this;
    }

    public synchronized UserComSandbox company(String customId, int id) {
        ObjectNode c = object().put("id", id).put("custom_id", customId);
        c.putArray("employees");
        companies.add(c);
        return this;
    }

    /** The company is deleted at the vendor: its ids now answer 404. */
    public synchronized UserComSandbox deleteCompany(String customId) {
        companies.removeIf(c -> customId.equals(c.path("custom_id").asText(null)));
        return this;
    }

    /** The vendor's numeric id of a company, by its custom id. */
    public synchronized int companyId(String customId) {
        return first(companies, "custom_id", customId).path("id").asInt();
    }

    /** Every user holding this custom id (more than one is a duplicate a flow created). Copies. */
    public synchronized List<ObjectNode> users(String customId) {
        return users.stream().filter(u -> customId.equals(u.path("custom_id").asText(null))).map(ObjectNode::deepCopy).toList();
    }

    /** A company as the vendor holds it, by custom id, or null. A copy. */
    public synchronized ObjectNode companyByCustomId(String customId) {
        ObjectNode c = first(companies, "custom_id", customId);
        return c == null ? null : c.deepCopy();
    }

    /** The events posted, each {@code {user_id, name, data?, timestamp?}} with the numeric user id. Copies. */
    public synchronized List<ObjectNode> events() {
        return events.stream().map(ObjectNode::deepCopy).toList();
    }

    /** The site views posted. Copies. */
    public synchronized List<ObjectNode> siteViews() {
        return siteViews.stream().map(ObjectNode::deepCopy).toList();
    }

    // ---- the API -----------------------------------------------------------------------------------------------

    @Override
    protected VendorStub.Reply serve(Call c) {
        if (presumesExisting()) presume(c);
        return switch (c.endpoint()) {
            case "users.search" -> search(c);
            case "users-by-id.get" -> found(first(users, "custom_id", c.id("custom_id")));
            case "users.get" -> found(first(users, "id", c.id("id")));
            case "users.create" -> json(201, createUser((ObjectNode) c.body()));
            case "users.update" -> {
                ObjectNode u = first(users, "id", c.id("id"));
                yield u == null ? notFound() : json(200, merge(u, c.body()));
            }
            case "users.update_or_create" -> {
                ObjectNode u = first(users, "custom_id", c.body().path("custom_id").asText());
                boolean created = u == null;
                if (created) u = createUser((ObjectNode) c.body());
                else merge(u, c.body());
                yield json(created ? 201 : 200, object().put("created", created).put("id", u.path("id").asInt()));
            }
            case "users-by-id.delete" -> remove(users, first(users, "custom_id", c.id("custom_id")));
            case "users.delete" -> remove(users, first(users, "id", c.id("id")));
            case "events.create" -> event(first(users, "id", c.body().path("user_id").asText()), c.body());
            case "users-by-id.events" -> event(first(users, "custom_id", c.id("custom_id")), c.body());
            case "site-views.create" -> {
                if (first(users, "user_key", c.body().path("client_user").asText()) == null) yield error(400, "client_user", "No user with this key.");
                siteViews.add(((ObjectNode) c.body()).deepCopy());
                yield json(201, object().put("id", siteViews.size()));
            }
            case "companies-by-id.update" -> {
                ObjectNode co = first(companies, "custom_id", c.id("custom_id"));
                yield co == null ? notFound() : json(200, merge(co, c.body()));
            }
            case "companies.update" -> {
                ObjectNode co = first(companies, "id", c.id("id"));
                yield co == null ? notFound() : json(200, merge(co, c.body()));
            }
            case "companies.create" -> {
                ObjectNode co = ((ObjectNode) c.body()).deepCopy().put("id", ++ids);
                co.putArray("employees");
                companies.add(co);
                yield json(201, co);
            }
            case "companies.add_member" -> {
                ObjectNode co = first(companies, "id", c.id("id"));
                ObjectNode u = first(users, "id", c.body().path("user_id").asText());
                if (co == null || u == null) yield notFound();
                ArrayNode employees = (ArrayNode) co.get("employees");
                if (!contains(employees, u.get("id"))) employees.add(u.get("id"));
                ArrayNode memberOf = (ArrayNode) u.get("companies");
                if (!contains(memberOf, co.get("id"))) memberOf.add(co.get("id"));
                yield json(200, object());
            }
            default -> throw new IllegalStateException("UserComSandbox does not serve " + c.endpoint());
        };
    }

    @Override
    protected void clearState() {
        users.clear();
        companies.clear();
        events.clear();
        siteViews.clear();
    }

    /** {@link #presumeExisting}: the user or company this call looks for is there, created on the spot if need be. */
    private void presume(Call c) {
        JsonNode body = c.body() == null ? object() : c.body();
        String customId = c.id("custom_id");
        switch (c.endpoint()) {
            case "users-by-id.get", "users-by-id.events" -> {
                if (first(users, "custom_id", customId) == null) user(customId, ++ids, null);
            }
            case "users.get", "users.update" -> {
                if (first(users, "id", c.id("id")) == null) user(body.path("custom_id").asText("#" + c.id("id")), Integer.parseInt(c.id("id")), null);
            }
            case "users.search" -> {
                String email = c.query().get("email");
                if (email != null && first(users, "email", email) == null) user("#" + (++ids), ids, email);
            }
            case "events.create" -> {
                String id = body.path("user_id").asText();
                if (id.matches("\\d+") && first(users, "id", id) == null) user("#" + id, Integer.parseInt(id), null);
            }
            case "site-views.create" -> {
                String key = body.path("client_user").asText();
                if (!key.isEmpty() && first(users, "user_key", key) == null) user("#" + (++ids), ids, null).users.get(users.size() - 1).put("user_key", key);
            }
            case "companies-by-id.update" -> {
                if (first(companies, "custom_id", customId) == null) company(customId, ++ids);
            }
            case "companies.update", "companies.add_member" -> {
                if (first(companies, "id", c.id("id")) == null) company("#" + c.id("id"), Integer.parseInt(c.id("id")));
                String user = body.path("user_id").asText();
                if (user.matches("\\d+") && first(users, "id", user) == null) user("#" + user, Integer.parseInt(user), null);
            }
            default -> { }
        }
    }

    /** By key, email or phone; a phone search answers {@code {results: [...]}} (the reference reads it so). */
    private VendorStub.Reply search(Call c) {
        if (c.query().containsKey("phone_number")) {
            ObjectNode answer = object();
            ArrayNode results = answer.putArray("results");
            users.stream().filter(u -> c.query().get("phone_number").equals(u.path("phone_number").asText(null))).forEach(results::add);
            return json(200, answer);
        }
        String field = c.query().containsKey("key") ? "user_key" : "email";
        return found(first(users, field, c.query().get(field.equals("user_key") ? "key" : "email")));
    }

    private ObjectNode createUser(ObjectNode body) {
        int id = ++ids;
        ObjectNode u = body.deepCopy().put("id", id).put("user_key", "key-" + id);
        u.putArray("companies");
        users.add(u);
        return u;
    }

    private VendorStub.Reply event(ObjectNode user, JsonNode body) {
        if (user == null) return notFound();
        ObjectNode e = ((ObjectNode) body).deepCopy();
        e.set("user_id", user.get("id"));
        events.add(e);
        return json(201, object().put("id", events.size()).put("created", true));
    }

    private VendorStub.Reply remove(List<ObjectNode> entities, ObjectNode entity) {
        if (entity == null) return notFound();
        entities.remove(entity);
        return VendorStub.Reply.status(204);
    }

    private static ObjectNode merge(ObjectNode entity, JsonNode body) {
        body.properties().forEach(f -> entity.set(f.getKey(), f.getValue()));
        return entity.deepCopy();
    }

    private static ObjectNode first(List<ObjectNode> entities, String field, String value) {
        if (value == null) return null;
        return entities.stream().filter(e -> e.hasNonNull(field) && Objects.equals(e.get(field).asText(), value)).findFirst().orElse(null);
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode x : list) {
            if (x.asText().equals(value.asText())) return true;
        }
        return false;
    }

    private VendorStub.Reply found(JsonNode entity) {
        return entity == null ? notFound() : json(200, entity);
    }

    private VendorStub.Reply notFound() {
        return error(404, "", "Not found.");
    }
}
