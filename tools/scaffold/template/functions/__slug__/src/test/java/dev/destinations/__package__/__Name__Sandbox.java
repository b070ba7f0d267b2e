package dev.destinations.__package__;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.testkit.contract.SandboxProvider;
import dev.destinations.testkit.contract.VendorContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * __Name__ as its contract ({@code contract.json}) describes it, with state: users by {@code user_id} (created or
 * updated, fields merged), events in arrival order. A request the contract refuses gets the vendor's 400 naming the
 * field and fails the sending test. TODO: the vendor's own answers, as its API documents them.
 */
public final class __Name__Sandbox extends ContractSandbox {
    /** The contract, read once. */
    public static final VendorContract CONTRACT = VendorContract.load(__Name__Destination.class.getResource("contract.json"));

    private final Map<String, ObjectNode> users = new LinkedHashMap<>();
    private final List<ObjectNode> events = new ArrayList<>();

    /** @param prefix the raw path of the base URL the function is given ({@code ""} for the stub's root) */
    public __Name__Sandbox(String prefix) {
        super(CONTRACT, prefix);
    }

    /** Found by the tools through the module's test-jar. */
    public static final class Provider implements SandboxProvider {
        @Override
        public String slug() {
            return "__slug__";
        }

        @Override
        public ContractSandbox create(String prefix) {
            return new __Name__Sandbox(prefix);
        }
    }

    @Override
    protected VendorStub.Reply serve(Call call) {
        ObjectNode body = (ObjectNode) call.body();
        return switch (call.endpoint()) {
            case "users.upsert" -> {
                ObjectNode user = users.computeIfAbsent(body.path("user_id").asText(), id -> object());
                user.setAll(body.deepCopy());
                yield json(200, user);
            }
            case "events.create" -> {
                events.add(body.deepCopy());
                yield json(200, object().put("created", true));
            }
            default -> throw new IllegalStateException("__Name__Sandbox does not serve " + call.endpoint());
        };
    }

    @Override
    protected void clearState() {
        users.clear();
        events.clear();
    }

    /** The user with this id, or null. */
    public synchronized ObjectNode user(String userId) {
        ObjectNode u = users.get(userId);
        return u == null ? null : u.deepCopy();
    }

    /** The events received, in order. */
    public synchronized List<ObjectNode> events() {
        return events.stream().map(ObjectNode::deepCopy).toList();
    }
}
