package dev.destinations.testkit.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.testkit.VendorStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a vendor's published API accepts, read from a {@code contract.json} beside the destination (the format:
 * README, "Vendor contracts"). It matches a request to one of its endpoints and lists every rule the request breaks,
 * each {@link Violation} naming the endpoint, the field, the rule and the contract entry with its source.
 *
 * <p>Paths are matched under the vendor's base URL: the caller strips the base URL's path (the sandbox's prefix).
 * An endpoint whose path has more literal segments wins over one with an id in their place
 * ({@code /users/search/} over {@code /users/{id}/}).
 */
public final class VendorContract {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "object", "array", "any");

    /** One field's (or a query parameter's, a path id's, a header's) rules; {@code entry} names it in the file. */
    public record Rule(String entry, String source, Set<String> types, boolean required, Integer maxLength,
                       Pattern pattern, List<JsonNode> enumeration, boolean readOnly, Rule items,
                       Map<String, Rule> fields, boolean additional, List<List<String>> requiredAnyOf) {}

    /** One endpoint: method, path template ({@code /users/{id}/}), its ids, query and body rules and statuses. */
    public record Endpoint(String name, String method, String path, List<String> segments, Map<String, Rule> ids,
                           Map<String, Rule> query, Rule body, Map<Integer, String> statuses, String source) {
        int literals() {
            return (int) segments.stream().filter(s -> !isId(s)).count();
        }
    }

    /** A request matched to its endpoint, the path ids percent-decoded. */
    public record Match(Endpoint endpoint, Map<String, String> ids) {}

    /** An error answer of the vendor: its body template ({field}, {message} replaced), headers and source. */
    public record ErrorShape(int status, JsonNode body, Map<String, String> headers, String source) {}

    private final String vendor;
    private final String baseUrl;
    private final int validationStatus;
    private final List<Endpoint> endpoints;
    private final Map<String, Rule> headers;
    private final Map<Integer, ErrorShape> errors;
    private final List<String> unknown = new ArrayList<>();

    private VendorContract(JsonNode root) {
        this.vendor = text(root, "vendor", "the contract");
        this.baseUrl = root.path("baseUrl").asText("");
        this.validationStatus = root.path("validationStatus").asInt(400);
        this.headers = rules(root.path("headers"), "headers", "unknown");
        Map<Integer, ErrorShape> e = new LinkedHashMap<>();
        root.path("errors").fields().forEachRemaining(f -> {
            JsonNode h = f.getValue().path("headers");
            Map<String, String> hs = new LinkedHashMap<>();
            h.fields().forEachRemaining(x -> hs.put(x.getKey(), x.getValue().asText()));
            String source = text(f.getValue(), "source", "errors." + f.getKey());
            if (source.equals("unknown")) unknown.add("errors." + f.getKey());
            e.put(Integer.parseInt(f.getKey()), new ErrorShape(Integer.parseInt(f.getKey()), f.getValue().path("body"), hs, source));
        });
        this.errors = e;
        List<Endpoint> list = new ArrayList<>();
        for (JsonNode n : root.path("endpoints")) list.add(endpoint(n));
        if (list.isEmpty()) throw new IllegalArgumentException(vendor + " contract: no endpoints");
        this.endpoints = List.copyOf(list);
    }

    /** Reads a contract; a malformed one is an exception naming the entry. */
    public static VendorContract parse(String json) {
        try {
            return new VendorContract(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("contract is not JSON", e);
        }
    }

    /** Reads a contract from a resource, e.g. {@code CustifyDestination.class.getResource("contract.json")}. */
    public static VendorContract load(URL resource) {
        if (resource == null) throw new IllegalArgumentException("no contract resource");
        try (InputStream in = resource.openStream()) {
            return new VendorContract(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + resource, e);
        }
    }

    public String vendor() {
        return vendor;
    }

    /** The vendor's base URL as the contract's sources give it (documentation; requests are matched under it). */
    public String baseUrl() {
        return baseUrl;
    }

    /** The status the vendor answers a request that breaks a field rule with ({@code validationStatus}, default 400). */
    public int validationStatus() {
        return validationStatus;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Every entry whose source is {@code unknown}: what no public source says, following the reference. */
    public List<String> unknownEntries() {
        return List.copyOf(unknown);
    }

    /** The endpoint this request goes to, or empty. {@code path} is the raw (still encoded) path under the base URL. */
    public Optional<Match> match(String method, String path) {
        List<String> segments = segments(path);
        return endpoints.stream().filter(e -> e.method().equalsIgnoreCase(method))
                .sorted(Comparator.comparingInt(Endpoint::literals).reversed())
                .map(e -> match(e, segments)).filter(m -> m != null).findFirst();
    }

    private static Match match(Endpoint e, List<String> segments) {
        if (e.segments().size() != segments.size()) return null;
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String t = e.segments().get(i);
            String s = segments.get(i);
            if (isId(t)) {
                if (s.isEmpty()) return null;
                ids.put(t.substring(1, t.length() - 1), decode(s));
            } else if (!t.equals(s)) {
                return null;
            }
        }
        return new Match(e, ids);
    }

    /**
     * Every rule {@code request} breaks; {@code prefix} is the raw path of the base URL the function was given (the
     * request's path must start with it). An endpoint the contract does not list is one violation.
     */
    public List<Violation> check(VendorStub.Recorded request, String prefix) {
        String label = request.method() + " " + (request.rawPath().startsWith(prefix) ? request.rawPath().substring(prefix.length()) : request.rawPath());
        List<Violation> out = new ArrayList<>();
        Optional<Match> m = request.rawPath().startsWith(prefix) ? match(request.method(), request.rawPath().substring(prefix.length())) : Optional.empty();
        if (m.isEmpty()) {
            out.add(new Violation(vendor, "(none)", label, "endpoint", "endpoint", "no endpoint of the " + vendor + " contract has this method and path",
                    "endpoints", "unknown"));
            return out;
        }
        Endpoint e = m.get().endpoint();
        Checker c = new Checker(e.name(), label, out);
        headers.forEach((name, rule) -> c.scalar(rule, request.header(name), "header." + name));
        e.ids().forEach((name, rule) -> c.scalar(rule, m.get().ids().get(name), "path." + name));
        Map<String, String> query = request.query();
        e.query().forEach((name, rule) -> c.scalar(rule, query.get(name), "query." + name));
        if (e.body() != null) {
            JsonNode body;
            try {
                body = request.body().isBlank() ? null : MAPPER.readTree(request.body());
            } catch (IOException notJson) {
                body = null;
                out.add(new Violation(vendor, e.name(), label, "body", "json", "not JSON", e.body().entry(), e.body().source()));
            }
            if (body == null && e.body().required()) c.add(e.body(), "body", "required", "no body");
            else if (body != null) c.value(e.body(), body, "body");
        }
        return out;
    }

    /** The endpoint's body rule with read-only fields (and theirs, nested) removed: what the vendor stores. */
    public static JsonNode withoutReadOnly(Rule rule, JsonNode value) {
        if (rule == null || value == null || !value.isObject()) return value;
        ObjectNode copy = ((ObjectNode) value).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Rule r = rule.fields().get(f.getKey());
            if (r == null) continue;
            if (r.readOnly()) it.remove();
            else f.setValue(withoutReadOnly(r, f.getValue()));
        }
        return copy;
    }

    /**
     * The vendor's error answer: the contract's body for that status with {@code {field}} and {@code {message}}
     * replaced (in keys and values), its headers; a status the contract has no shape for answers {@code {"error": message}}.
     */
    public VendorStub.Reply error(int status, String field, String message) {
        ErrorShape shape = errors.get(status);
        if (shape == null) return VendorStub.Reply.json(status, MAPPER.createObjectNode().put("error", message).toString());
        VendorStub.Reply reply = shape.body().isMissingNode() ? VendorStub.Reply.status(status)
                : VendorStub.Reply.json(status, fill(shape.body(), field, message).toString());
        for (Map.Entry<String, String> h : shape.headers().entrySet()) reply = reply.withHeader(h.getKey(), h.getValue());
        return reply;
    }

    public Optional<ErrorShape> errorShape(int status) {
        return Optional.ofNullable(errors.get(status));
    }

    private static JsonNode fill(JsonNode template, String field, String message) {
        if (template.isTextual()) return MAPPER.getNodeFactory().textNode(template.asText().replace("{field}", field).replace("{message}", message));
        if (template.isArray()) {
            ArrayNode a = MAPPER.createArrayNode();
            template.forEach(x -> a.add(fill(x, field, message)));
            return a;
        }
        if (template.isObject()) {
            ObjectNode o = MAPPER.createObjectNode();
            template.fields().forEachRemaining(f -> o.set(f.getKey().replace("{field}", field).replace("{message}", message), fill(f.getValue(), field, message)));
            return o;
        }
        return template;
    }

    /** Walks a request against the rules, adding a violation per broken rule. */
    private final class Checker {
        private final String endpoint;
        private final String label;
        private final List<Violation> out;

        Checker(String endpoint, String label, List<Violation> out) {
            this.endpoint = endpoint;
            this.label = label;
            this.out = out;
        }

        void add(Rule rule, String field, String what, String detail) {
            out.add(new Violation(vendor, endpoint, label, field, what, detail, rule.entry(), rule.source()));
        }

        /** A header, query parameter or path id: text, or null when absent. */
        void scalar(Rule rule, String value, String field) {
            if (value == null) {
                if (rule.required()) add(rule, field, "required", "absent");
                return;
            }
            if (rule.types().contains("integer") && !value.matches("-?\\d+")) add(rule, field, "type integer", "not an integer");
            string(rule, value, field);
        }

        void value(Rule rule, JsonNode v, String field) {
            if (v.isNull()) return;
            if (rule.readOnly()) add(rule, field, "readOnly", "sent; the vendor ignores it");
            if (!rule.types().isEmpty() && !rule.types().contains("any") && rule.types().stream().noneMatch(t -> is(t, v))) {
                add(rule, field, "type " + String.join("|", rule.types()), "a " + kind(v));
                return;
            }
            if (v.isTextual()) string(rule, v.asText(), field);
            else if (!rule.enumeration().isEmpty() && rule.enumeration().stream().noneMatch(x -> x.asText().equals(v.asText())))
                add(rule, field, "enum", "not one of " + rule.enumeration());
            if (v.isArray() && rule.items() != null) {
                for (int i = 0; i < v.size(); i++) value(rule.items(), v.get(i), field + "[" + i + "]");
            }
            if (v.isObject()) object(rule, v, field);
        }

        private void object(Rule rule, JsonNode v, String field) {
            for (Map.Entry<String, Rule> f : rule.fields().entrySet()) {
                JsonNode x = v.get(f.getKey());
                if (x == null || x.isNull()) {
                    if (f.getValue().required()) add(f.getValue(), field + "." + f.getKey(), "required", "absent");
                } else {
                    value(f.getValue(), x, field + "." + f.getKey());
                }
            }
            for (List<String> anyOf : rule.requiredAnyOf()) {
                if (anyOf.stream().allMatch(k -> v.path(k).isNull() || v.path(k).isMissingNode())) {
                    add(rule, field + "." + String.join("|", anyOf), "requiredAnyOf", "none of them");
                }
            }
            if (!rule.additional()) {
                v.fieldNames().forEachRemaining(k -> {
                    if (!rule.fields().containsKey(k)) add(rule, field + "." + k, "additional", "not a field of the vendor's model");
                });
            }
        }

        private void string(Rule rule, String s, String field) {
            if (rule.maxLength() != null && s.codePointCount(0, s.length()) > rule.maxLength()) {
                add(rule, field, "maxLength " + rule.maxLength(), s.codePointCount(0, s.length()) + " characters");
            }
            if (rule.pattern() != null && !rule.pattern().matcher(s).matches()) add(rule, field, "pattern " + rule.pattern(), "does not match");
            if (!rule.enumeration().isEmpty() && rule.enumeration().stream().noneMatch(x -> x.asText().equals(s))) {
                add(rule, field, "enum", "not one of " + rule.enumeration());
            }
        }
    }

    private static boolean is(String type, JsonNode v) {
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> true;
        };
    }

    private static String kind(JsonNode v) {
        return v.isTextual() ? "string" : v.isIntegralNumber() ? "integer" : v.isNumber() ? "number" : v.isBoolean() ? "boolean"
                : v.isArray() ? "array" : v.isObject() ? "object" : v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private Endpoint endpoint(JsonNode n) {
        String name = text(n, "name", "an endpoint");
        String entry = "endpoints[" + name + "]";
        String source = text(n, "source", entry);
        if (source.equals("unknown")) unknown.add(entry);
        String path = text(n, "path", entry);
        if (!path.startsWith("/")) throw new IllegalArgumentException(vendor + " contract " + entry + ".path must start with /");
        List<String> segments = segments(path);
        Map<String, Rule> ids = rules(n.path("ids"), entry + ".ids", source);
        for (String s : segments) {
            if (isId(s) && !ids.containsKey(s.substring(1, s.length() - 1))) {
                ids.put(s.substring(1, s.length() - 1), rule(MAPPER.createObjectNode(), entry + ".ids." + s, source));
            }
        }
        Map<Integer, String> statuses = new LinkedHashMap<>();
        n.path("statuses").fields().forEachRemaining(f -> statuses.put(Integer.parseInt(f.getKey()), f.getValue().asText()));
        Rule body = n.has("body") ? rule(n.get("body"), entry + ".body", source) : null;
        return new Endpoint(name, text(n, "method", entry).toUpperCase(Locale.ROOT), path, segments, ids,
                rules(n.path("query"), entry + ".query", source), body, statuses, source);
    }

    private Map<String, Rule> rules(JsonNode n, String entry, String inherited) {
        Map<String, Rule> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> out.put(f.getKey(), rule(f.getValue(), entry + "." + f.getKey(), inherited)));
        return out;
    }

    private Rule rule(JsonNode n, String entry, String inherited) {
        if (!n.isObject()) throw new IllegalArgumentException(vendor + " contract " + entry + " is not an object");
        String source = n.path("source").asText(inherited);
        if (n.has("source") && source.equals("unknown")) unknown.add(entry);
        Set<String> types = new java.util.LinkedHashSet<>();
        JsonNode t = n.path("type");
        if (t.isTextual()) types.add(t.asText());
        t.forEach(x -> types.add(x.asText()));
        for (String x : types) {
            if (!TYPES.contains(x)) throw new IllegalArgumentException(vendor + " contract " + entry + ".type '" + x + "' is not one of " + TYPES);
        }
        List<JsonNode> enumeration = new ArrayList<>();
        n.path("enum").forEach(enumeration::add);
        List<List<String>> anyOf = new ArrayList<>();
        n.path("requiredAnyOf").forEach(group -> {
            List<String> keys = new ArrayList<>();
            group.forEach(k -> keys.add(k.asText()));
            anyOf.add(List.copyOf(keys));
        });
        return new Rule(entry, source, Set.copyOf(types), n.path("required").asBoolean(false),
                n.has("maxLength") ? n.get("maxLength").asInt() : null,
                n.has("pattern") ? Pattern.compile(n.get("pattern").asText()) : null, List.copyOf(enumeration),
                n.path("readOnly").asBoolean(false), n.has("items") ? rule(n.get("items"), entry + ".items", source) : null,
                rules(n.path("fields"), entry + ".fields", source), n.path("additional").asBoolean(true), List.copyOf(anyOf));
    }

    private String text(JsonNode n, String key, String where) {
        JsonNode v = n.path(key);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException((vendor == null ? "" : vendor + " ") + "contract: " + where + " has no '" + key + "'");
        }
        return v.asText();
    }

    private static boolean isId(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** {@code /users/5/} -> [users, 5, ""]: a trailing slash is a segment, so {@code /users/5} does not match {@code /users/{id}/}. */
    private static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return List.of(p.split("/", -1));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
