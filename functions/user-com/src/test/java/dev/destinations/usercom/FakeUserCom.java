package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small stateful User.com behind {@link VendorStub}: users and companies by custom id, created by POST and found
 * afterwards, as the real API does. Answers 404 {@code {"detail":"Not found."}} for what it does not have.
 */
final class FakeUserCom implements VendorStub.Responder {
    private static final Pattern USER_BY_ID = Pattern.compile("/users-by-id/([^/]+)/");
    private static final Pattern USER_EVENTS = Pattern.compile("/users-by-id/([^/]+)/events/");
    private static final Pattern USER = Pattern.compile("/users/(\\d+)/");
    private static final Pattern COMPANY_BY_ID = Pattern.compile("/companies-by-id/([^/]+)/");
    private static final Pattern COMPANY = Pattern.compile("/companies/(\\d+)/");
    private static final Pattern ADD_MEMBER = Pattern.compile("/companies/(\\d+)/add_member/");

    private final String prefix;
    private final Map<String, ObjectNode> users = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> companies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);

    /** @param prefix the path of the base URL the function is given, e.g. {@code /api/public} */
    FakeUserCom(String prefix) {
        this.prefix = prefix;
    }

    FakeUserCom user(String customId, int id, String email) {
        ObjectNode u = Json.object().put("id", id).put("user_key", "key-" + id).put("custom_id", customId);
        if (email != null) u.put("email", email);
        users.put(customId, u);
        return this;
    }

    /** The user is deleted at the vendor (by someone else): its id now answers 404. */
    FakeUserCom delete(String customId) {
        users.remove(customId);
        return this;
    }

    FakeUserCom company(String customId, int id) {
        companies.put(customId, Json.object().put("id", id).put("custom_id", customId));
        return this;
    }

    /** The company is deleted at the vendor: its id now answers 404. */
    FakeUserCom deleteCompany(String customId) {
        companies.remove(customId);
        return this;
    }

    /** The vendor's numeric id of a company, by its custom id. */
    int companyId(String customId) {
        return companies.get(customId).path("id").asInt();
    }

    @Override
    public VendorStub.Reply answer(VendorStub.Recorded r) {
        if (!r.path().startsWith(prefix)) return notFound();
        String path = r.path().substring(prefix.length());
        String m = r.method();
        Matcher x;
        if (m.equals("GET") && (x = USER_BY_ID.matcher(path)).matches()) return found(users.get(x.group(1)));
        if (m.equals("GET") && (x = USER.matcher(path)).matches()) {
            int id = Integer.parseInt(x.group(1));
            return found(users.values().stream().filter(u -> u.path("id").asInt() == id).findFirst().orElse(null));
        }
        if (m.equals("POST") && (x = USER_EVENTS.matcher(r.rawPath().substring(prefix.length()))).matches()) {
            return users.containsKey(java.net.URLDecoder.decode(x.group(1), java.nio.charset.StandardCharsets.UTF_8)) ? VendorStub.Reply.json(201, "{}") : notFound();
        }
        if (m.equals("POST") && path.equals("/users/update_or_create/")) {
            JsonNode body = parse(r.body());
            ObjectNode u = users.get(body.path("custom_id").asText());
            boolean created = u == null;
            if (created) {
                int id = ids.incrementAndGet();
                u = ((ObjectNode) body).deepCopy().put("id", id).put("user_key", "key-" + id);
                users.put(body.path("custom_id").asText(), u);
            }
            return VendorStub.Reply.json(created ? 201 : 200, Json.write(Json.object().put("created", created).put("id", u.path("id").asInt())));
        }
        if (m.equals("PUT") && (x = COMPANY_BY_ID.matcher(path)).matches()) return found(companies.get(x.group(1)));
        if (m.equals("GET") && path.equals("/users/search/")) {
            String email = r.query().get("email");
            String key = r.query().get("key");
            return found(users.values().stream().filter(u -> email != null ? email.equals(u.path("email").asText(null))
                    : key != null && key.equals(u.path("user_key").asText())).findFirst().orElse(null));
        }
        if (m.equals("POST") && path.equals("/users/")) {
            JsonNode body = parse(r.body());
            int id = ids.incrementAndGet();
            ObjectNode u = ((ObjectNode) body).deepCopy().put("id", id).put("user_key", "key-" + id);
            users.put(body.path("custom_id").asText(), u);
            return VendorStub.Reply.json(201, Json.write(u));
        }
        if (m.equals("PUT") && (x = USER.matcher(path)).matches()) {
            int id = Integer.parseInt(x.group(1));
            return found(users.values().stream().filter(u -> u.path("id").asInt() == id).findFirst().orElse(null));
        }
        if (m.equals("GET") && (x = COMPANY_BY_ID.matcher(path)).matches()) return found(companies.get(x.group(1)));
        if (m.equals("POST") && path.equals("/companies/")) {
            JsonNode body = parse(r.body());
            int id = ids.incrementAndGet();
            ObjectNode c = Json.object().put("id", id).put("custom_id", body.path("custom_id").asText());
            companies.put(body.path("custom_id").asText(), c);
            return VendorStub.Reply.json(201, Json.write(c));
        }
        if (m.equals("PUT") && (x = COMPANY.matcher(path)).matches()) {
            int id = Integer.parseInt(x.group(1));
            return found(companies.values().stream().filter(c -> c.path("id").asInt() == id).findFirst().orElse(null));
        }
        if (m.equals("POST") && ADD_MEMBER.matcher(path).matches()) return VendorStub.Reply.json(200, "{}");
        if (m.equals("POST") && (path.equals("/events/") || path.equals("/site-views/"))) return VendorStub.Reply.json(201, "{}");
        return notFound();
    }

    private static VendorStub.Reply found(JsonNode entity) {
        return entity == null ? notFound() : VendorStub.Reply.json(200, Json.write(entity));
    }

    private static VendorStub.Reply notFound() {
        return VendorStub.Reply.json(404, "{\"detail\":\"Not found.\"}");
    }

    private static JsonNode parse(String body) {
        try {
            return Json.parse(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }
}
