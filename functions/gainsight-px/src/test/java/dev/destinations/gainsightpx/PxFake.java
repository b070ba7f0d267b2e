package dev.destinations.gainsightpx;

import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.VendorStub.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful stand-in for the PX API behind a {@link VendorStub}: users and accounts exist or not, a create makes
 * them exist, a write to a missing one is a 404 with the vendor's error body. Paths are under {@code /v1}; ids in paths are percent-decoded.
 */
final class PxFake implements VendorStub.Responder {
    private static final Pattern ENTITY = Pattern.compile("/v1/(users|accounts)/([^/]+)");
    private static final Pattern IDENTIFY_ID = Pattern.compile("\"identifyId\":\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]*)\"");

    final Set<String> users = ConcurrentHashMap.newKeySet();
    final Set<String> accounts = ConcurrentHashMap.newKeySet();

    PxFake withUsers(String... ids) {
        users.addAll(Set.of(ids));
        return this;
    }

    PxFake withAccounts(String... ids) {
        accounts.addAll(Set.of(ids));
        return this;
    }

    @Override
    public Reply answer(VendorStub.Recorded r) {
        String path = r.rawPath();
        if (r.method().equals("POST") && path.equals("/v1/events/custom")) return Reply.json(201, "{}");
        if (r.method().equals("POST") && path.equals("/v1/users")) return create(users, IDENTIFY_ID.matcher(r.body()));
        if (r.method().equals("POST") && path.equals("/v1/accounts")) return create(accounts, ID.matcher(r.body()));
        if (r.method().equals("PUT") && path.equals("/v1/users/update")) return update(users, IDENTIFY_ID.matcher(r.body()));
        if (r.method().equals("PUT") && path.equals("/v1/accounts/update")) return update(accounts, ID.matcher(r.body()));
        Matcher m = ENTITY.matcher(path);
        if (!m.matches()) return Reply.json(400, "{\"error\":\"unexpected " + r.method() + " " + path + "\"}");
        Set<String> set = m.group(1).equals("users") ? users : accounts;
        String id = URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!set.contains(id)) {
            return Reply.json(404, "{\"externalapierror\":{\"status\":\"NOT_FOUND\",\"message\":\"not found for parameters {id="
                    + id + "}\",\"debugMessage\":null,\"subErrors\":null}}");
        }
        return switch (r.method()) {
            case "GET" -> Reply.json(200, "{\"id\":\"" + id + "\"}");
            case "PUT" -> Reply.status(204);
            default -> Reply.json(405, "{}");
        };
    }

    /** The id-in-body variants (D35): the id is the body's. */
    private static Reply update(Set<String> set, Matcher id) {
        if (!id.find()) return Reply.json(400, "{\"error\":\"no id\"}");
        return set.contains(id.group(1)) ? Reply.status(204) : Reply.json(404, "{\"externalapierror\":{\"status\":\"NOT_FOUND\"}}");
    }

    private static Reply create(Set<String> set, Matcher id) {
        if (!id.find()) return Reply.json(400, "{\"error\":\"no id\"}");
        if (!set.add(id.group(1))) return Reply.json(400, "{\"externalapierror\":{\"status\":\"BAD_REQUEST\",\"message\":\"possible duplicate\"}}");
        return Reply.json(201, "{}");
    }
}
