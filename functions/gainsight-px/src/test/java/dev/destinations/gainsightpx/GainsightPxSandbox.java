package dev.destinations.gainsightpx;

import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStub.Reply;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;
import dev.destinations.testkit.contract.VendorContract;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Gainsight PX as its contract ({@code contract.json}) describes it, with state: users and accounts exist or not, a
 * create makes them exist (a second create is PX's 400 "possible duplicate"), a write to a missing one is a 404 with
 * the vendor's error body (unless it {@linkplain #presumeExisting presumes} everyone exists); ids are case-sensitive. A first version (the former GainsightPxSandbox on the contract checker); the
 * px helper extends it.
 */
public final class GainsightPxSandbox extends ContractSandbox {
    public static final VendorContract CONTRACT = VendorContract.load(GainsightPxDestination.class.getResource("contract.json"));

    final Set<String> users = new LinkedHashSet<>();
    final Set<String> accounts = new LinkedHashSet<>();

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
        users.addAll(Set.of(ids));
        return this;
    }

    public synchronized GainsightPxSandbox withAccounts(String... ids) {
        accounts.addAll(Set.of(ids));
        return this;
    }

    public synchronized boolean hasUser(String id) {
        return users.contains(id);
    }

    public synchronized boolean hasAccount(String id) {
        return accounts.contains(id);
    }

    @Override
    protected Reply serve(Call c) {
        if (presumesExisting()) { // unknown users and accounts are found: created on the spot
            if (c.ids().containsKey("identifyId")) users.add(c.id("identifyId"));
            if (c.ids().containsKey("id")) accounts.add(c.id("id"));
        }
        return switch (c.endpoint()) {
            case "events.custom" -> Reply.json(201, "{}");
            case "users.create" -> create(users, c.body().path("identifyId").asText(null));
            case "accounts.create" -> create(accounts, c.body().path("id").asText(null));
            case "users.get" -> get(users, c.id("identifyId"));
            case "accounts.get" -> get(accounts, c.id("id"));
            case "users.update" -> users.contains(c.id("identifyId")) ? Reply.status(204) : notFound(c.id("identifyId"));
            case "accounts.update" -> accounts.contains(c.id("id")) ? Reply.status(204) : notFound(c.id("id"));
            default -> throw new IllegalStateException("GainsightPxSandbox does not serve " + c.endpoint());
        };
    }

    @Override
    protected void clearState() {
        users.clear();
        accounts.clear();
    }

    private Reply get(Set<String> set, String id) {
        return set.contains(id) ? Reply.json(200, object().put("id", id).toString()) : notFound(id);
    }

    private VendorStub.Reply notFound(String id) {
        return error(404, "id", "not found for parameters {id=" + id + "}");
    }

    private Reply create(Set<String> set, String id) {
        if (id == null) return error(400, "id", "no id");
        if (!set.add(id)) return error(400, "id", "possible duplicate");
        return Reply.json(201, "{}");
    }
}
