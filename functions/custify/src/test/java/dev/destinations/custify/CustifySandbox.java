package dev.destinations.custify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * Custify as its contract ({@code contract.json}) describes it, with state: people by {@code user_id} (else by
 * email), companies by {@code company_id}, events in arrival order. {@code POST /people} and {@code POST /company}
 * create or update (fields merged, a person's company links added or, with {@code remove: true}, removed);
 * {@code POST /event} records an event; {@code DELETE /people?user_id=} deletes the person (404 when there is none).
 * Ids are case-sensitive. A create answers 201, an update 200 (CU-TM accepts both; which one Custify sends is
 * unknown). Answers are shaped as CU-TM reads them (a person with {@code id}, {@code user_id},
 * {@code email}, {@code companies}; a company with {@code id}, {@code company_id}).
 */
public final class CustifySandbox extends ContractSandbox {
    /** The contract, read once. */
    public static final VendorContract CONTRACT = VendorContract.load(CustifyDestination.class.getResource("contract.json"));

    private final Map<String, ObjectNode> people = new LinkedHashMap<>();
    private final Map<String, ObjectNode> companies = new LinkedHashMap<>();
    private final List<ObjectNode> events = new ArrayList<>();
    private int ids = 5000;

    /** @param prefix the raw path of the base URL the function is given ({@code ""} for the stub's root) */
    public CustifySandbox(String prefix) {
        super(CONTRACT, prefix);
    }

    /** Found by the tools through the module's test-jar. */
    public static final class Provider implements SandboxProvider {
        @Override
        public String slug() {
            return "custify";
        }

        @Override
        public ContractSandbox create(String prefix) {
            return new CustifySandbox(prefix);
        }
    }

    @Override
    protected VendorStub.Reply serve(Call call) {
        return switch (call.endpoint()) {
            case "people.upsert" -> {
                int before = people.size();
                ObjectNode person = upsertPerson((ObjectNode) call.body());
                yield json(people.size() > before ? 201 : 200, person);
            }
            case "company.upsert" -> {
                int before = companies.size();
                ObjectNode company = upsertCompany((ObjectNode) call.body());
                yield json(companies.size() > before ? 201 : 200, company);
            }
            case "event.create" -> {
                events.add(((ObjectNode) call.body()).deepCopy());
                yield json(200, object().put("created", true));
            }
            case "people.delete" -> people.remove(call.query().get("user_id")) == null
                    ? error(404, "user_id", "Not found.") : json(200, object().put("deleted", 1));
            default -> throw new IllegalStateException("CustifySandbox does not serve " + call.endpoint());
        };
    }

    @Override
    protected void clearState() {
        people.clear();
        companies.clear();
        events.clear();
    }

    /** The person with this user id, or null. */
    public synchronized ObjectNode person(String userId) {
        ObjectNode p = people.get(userId);
        return p == null ? null : p.deepCopy();
    }

    /** The company with this company id, or null. */
    public synchronized ObjectNode company(String companyId) {
        ObjectNode c = companies.get(companyId);
        return c == null ? null : c.deepCopy();
    }

    /** The events received, in order. */
    public synchronized List<ObjectNode> events() {
        return events.stream().map(ObjectNode::deepCopy).toList();
    }

    /** Adds a person (a test's starting state). */
    public synchronized CustifySandbox withPerson(String userId) {
        upsertPerson(object().put("user_id", userId));
        return this;
    }

    private ObjectNode upsertPerson(ObjectNode body) {
        String key = body.hasNonNull("user_id") ? body.get("user_id").asText() : "email:" + body.get("email").asText();
        ObjectNode person = people.get(key);
        if (person == null && body.hasNonNull("email")) {
            person = people.values().stream().filter(p -> body.get("email").asText().equals(p.path("email").asText(null))).findFirst().orElse(null);
        }
        if (person == null) {
            person = object().put("id", Integer.toString(++ids));
            person.putArray("companies");
            people.put(key, person);
        }
        ArrayNode links = (ArrayNode) person.get("companies");
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            if (f.getKey().equals("companies")) continue;
            if (f.getKey().equals("custom_attributes") && person.has("custom_attributes")) {
                ((ObjectNode) person.get("custom_attributes")).setAll((ObjectNode) f.getValue());
            } else {
                person.set(f.getKey(), f.getValue());
            }
        }
        for (JsonNode link : body.path("companies")) {
            String companyId = link.get("company_id").asText();
            ArrayNode kept = links.arrayNode();
            links.forEach(l -> {
                if (!l.asText().equals(companyId)) kept.add(l);
            });
            if (!link.path("remove").asBoolean(false)) kept.add(companyId);
            links.removeAll();
            links.addAll(kept);
        }
        return person.deepCopy();
    }

    private ObjectNode upsertCompany(ObjectNode body) {
        String key = body.get("company_id").asText();
        ObjectNode company = companies.computeIfAbsent(key, k -> object().put("id", Integer.toString(++ids)));
        body.properties().forEach(f -> company.set(f.getKey(), f.getValue()));
        return company.deepCopy();
    }
}
