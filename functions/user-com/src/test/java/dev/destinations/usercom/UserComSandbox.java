package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;
import dev.destinations.testkit.contract.VendorContract;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User.com as its contract ({@code contract.json}) describes it, with state: users and companies by custom id,
 * created by POST and found afterwards, as the real API does; 404 {@code {"detail":"Not found."}} for what it does
 * not have (unless it {@linkplain #presumeExisting presumes} everyone exists). A first version (the former UserComSandbox on the contract checker); the usercom helper extends it.
 */
public final class UserComSandbox extends ContractSandbox {
    public static final VendorContract CONTRACT = VendorContract.load(UserComDestination.class.getResource("contract.json"));

    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final Map<String, ObjectNode> companies = new LinkedHashMap<>();
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

    public synchronized UserComSandbox user(String customId, int id, String email) {
        ObjectNode u = object().put("id", id).put("user_key", "key-" + id).put("custom_id", customId);
        if (email != null) u.put("email", email);
        users.put(customId, u);
        return this;
    }

    /** The user is deleted at the vendor (by someone else): its id now answers 404. */
    public synchronized UserComSandbox delete(String customId) {
        users.remove(customId);
        return this;
    }

    public synchronized UserComSandbox company(String customId, int id) {
        companies.put(customId, object().put("id", id).put("custom_id", customId));
        return this;
    }

    /** The company is deleted at the vendor: its id now answers 404. */
    public synchronized UserComSandbox deleteCompany(String customId) {
        companies.remove(customId);
        return this;
    }

    /** The vendor's numeric id of a company, by its custom id. */
    public synchronized int companyId(String customId) {
        return companies.get(customId).path("id").asInt();
    }

    @Override
    protected VendorStub.Reply serve(Call c) {
        return switch (c.endpoint()) {
            case "users-by-id.get" -> found(users.containsKey(c.id("custom_id")) || !presumesExisting() ? users.get(c.id("custom_id"))
                    : user(c.id("custom_id"), ++ids, null).users.get(c.id("custom_id")));
            case "users.search" -> {
                String email = c.query().get("email");
                String key = c.query().get("key");
                ObjectNode u = users.values().stream().filter(x -> email != null ? email.equals(x.path("email").asText(null))
                        : key != null && key.equals(x.path("user_key").asText())).findFirst().orElse(null);
                if (u == null && presumesExisting() && email != null) u = user("#email-" + (++ids), ids, email).users.get("#email-" + ids);
                yield found(u);
            }
            case "users.create" -> {
                int id = ++ids;
                ObjectNode u = ((ObjectNode) c.body()).deepCopy().put("id", id).put("user_key", "key-" + id);
                users.put(c.body().hasNonNull("custom_id") ? c.body().get("custom_id").asText() : "#" + id, u);
                yield json(201, u);
            }
            case "users.update" -> {
                ObjectNode u = byId(users, c.id("id"));
                if (u == null && presumesExisting()) {
                    String customId = c.body().hasNonNull("custom_id") ? c.body().get("custom_id").asText() : "#" + c.id("id");
                    u = user(customId, Integer.parseInt(c.id("id")), null).users.get(customId);
                }
                if (u != null) {
                    u.setAll(((ObjectNode) c.body()).deepCopy());
                    u.put("id", Integer.parseInt(c.id("id")));
                }
                yield found(u);
            }
            case "companies-by-id.get" -> found(companies.containsKey(c.id("custom_id")) || !presumesExisting() ? companies.get(c.id("custom_id"))
                    : company(c.id("custom_id"), ++ids).companies.get(c.id("custom_id")));
            case "companies.create" -> {
                int id = ++ids;
                String customId = c.body().path("custom_id").asText();
                ObjectNode co = object().put("id", id).put("custom_id", customId);
                companies.put(customId.isEmpty() ? "#" + id : customId, co);
                yield json(201, co);
            }
            case "companies.update" -> found(byId(companies, c.id("id")) != null || !presumesExisting() ? byId(companies, c.id("id"))
                    : company("#" + c.id("id"), Integer.parseInt(c.id("id"))).companies.get("#" + c.id("id")));
            case "companies.add_member" -> json(200, object());
            case "events.create", "site-views.create" -> json(201, object());
            default -> throw new IllegalStateException("UserComSandbox does not serve " + c.endpoint());
        };
    }

    @Override
    protected void clearState() {
        users.clear();
        companies.clear();
    }

    private static ObjectNode byId(Map<String, ObjectNode> entities, String id) {
        return entities.values().stream().filter(e -> e.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    private VendorStub.Reply found(JsonNode entity) {
        return entity == null ? notFound() : json(200, entity);
    }

    private VendorStub.Reply notFound() {
        return error(404, "", "Not found.");
    }
}
