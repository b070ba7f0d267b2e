package dev.destinations.tools.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Compares recorded vendor requests with a case's expected ones, by the rules of the conformance README. */
final class RequestMatching {
    private RequestMatching() {}

    /** Null when the recorded requests satisfy {@code mode}, otherwise why not. */
    static String check(String mode, List<JsonNode> expected, List<RecordedCall> recorded) {
        return switch (mode) {
            case "exact" -> exact(expected, recorded);
            case "subsequence" -> subsequence(expected, recorded);
            case "unordered" -> unordered(expected, recorded, true);
            case "unordered-subset" -> unordered(expected, recorded, false);
            default -> "unknown requestsMatch: " + mode;
        };
    }

    private static String exact(List<JsonNode> expected, List<RecordedCall> recorded) {
        if (expected.size() != recorded.size()) {
            return "expected " + expected.size() + " request(s), got " + recorded.size() + ": " + recorded;
        }
        for (int i = 0; i < expected.size(); i++) {
            String why = differs(expected.get(i), recorded.get(i));
            if (why != null) return "request " + (i + 1) + ": " + why;
        }
        return null;
    }

    private static String subsequence(List<JsonNode> expected, List<RecordedCall> recorded) {
        int e = 0;
        for (RecordedCall call : recorded) {
            while (e < expected.size() && differs(expected.get(e), call) != null) e++;
            if (e == expected.size()) return "unexpected request " + call + " (not an in-order subsequence of the expected requests)";
            e++;
        }
        return null;
    }

    private static String unordered(List<JsonNode> expected, List<RecordedCall> recorded, boolean all) {
        List<JsonNode> left = new ArrayList<>(expected);
        for (RecordedCall call : recorded) {
            JsonNode hit = left.stream().filter(x -> differs(x, call) == null).findFirst().orElse(null);
            if (hit == null) return "unexpected request " + call;
            left.remove(hit);
        }
        if (all && !left.isEmpty()) return left.size() + " expected request(s) not made, e.g. " + left.get(0).path("method").asText() + " " + left.get(0).path("url").asText();
        return null;
    }

    /** Null when the recorded call is the expected request. */
    static String differs(JsonNode exp, RecordedCall got) {
        if (!exp.path("method").asText().equalsIgnoreCase(got.method())) return "method " + got.method() + ", expected " + exp.path("method").asText();
        if (!decoded(exp.path("url").asText()).equals(got.url())) return "URL " + got.url() + ", expected " + exp.path("url").asText();
        Map<String, String> expQuery = new TreeMap<>();
        exp.path("query").properties().forEach(q -> expQuery.put(q.getKey(), q.getValue().asText()));
        if (!expQuery.equals(new TreeMap<>(got.query()))) return "query " + got.query() + ", expected " + expQuery;
        for (var h : exp.path("headers").properties()) {
            String actual = got.header(h.getKey());
            if (actual == null) return "header " + h.getKey() + " missing";
            if (!sameHeaderValue(h.getValue().asText(), actual)) return "header " + h.getKey() + " differs";
        }
        if (exp.path("bodyAsserted").asBoolean(false)) {
            JsonNode body = got.json();
            JsonNode want = exp.get("json");
            if (want != null && !want.isNull() && (body == null || !body.equals(NUMERIC, want))) {
                return "body " + got.wire().body() + ", expected " + want;
            }
        }
        if (exp.hasNonNull("rawPathRegex") && !Pattern.compile(exp.get("rawPathRegex").asText()).matcher(got.rawPath()).matches()) {
            return "raw path " + got.rawPath() + " does not match " + exp.get("rawPathRegex").asText();
        }
        if (exp.hasNonNull("rawQueryRegex") && !Pattern.compile(exp.get("rawQueryRegex").asText()).matcher(got.rawQuery()).matches()) {
            return "raw query " + got.rawQuery() + " does not match " + exp.get("rawQueryRegex").asText();
        }
        return null;
    }

    /** Mock matching: method, URL and decoded query equal, mock headers present, mock JSON deep-equal when given. */
    static boolean mockMatches(JsonNode mockRequest, RecordedCall got) {
        if (!mockRequest.path("method").asText().equalsIgnoreCase(got.method())) return false;
        if (!decoded(mockRequest.path("url").asText()).equals(got.url())) return false;
        Map<String, String> q = new TreeMap<>();
        mockRequest.path("query").properties().forEach(e -> q.put(e.getKey(), e.getValue().asText()));
        if (!q.equals(new TreeMap<>(got.query()))) return false;
        for (var h : mockRequest.path("headers").properties()) {
            String actual = got.header(h.getKey());
            if (actual == null || !sameHeaderValue(h.getValue().asText(), actual)) return false;
        }
        JsonNode json = mockRequest.get("json");
        if (json != null && !json.isNull()) {
            JsonNode body = got.json();
            return body != null && body.equals(NUMERIC, json);
        }
        return true;
    }

    /**
     * A case's URL with percent-encoding undone, the way the recorded URL reads (the README: URLs compare "once
     * percent-decoding is undone on both sides"). A '+' stays a '+': in a path it is not a space.
     */
    static String decoded(String url) {
        if (url.indexOf('%') < 0) return url;
        try {
            return java.net.URLDecoder.decode(url.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return url; // not valid percent-encoding: compared as written
        }
    }

    /** {@code application/json; charset=...} counts as {@code application/json}. */
    private static boolean sameHeaderValue(String expected, String actual) {
        if (expected.equals(actual)) return true;
        String e = expected.toLowerCase(Locale.ROOT).replace(" ", "");
        String a = actual.toLowerCase(Locale.ROOT).replace(" ", "");
        if (a.startsWith(e + ";charset=")) return true;
        return e.equals(a);
    }

    /** Numbers compare by value (9830311522 equals 9830311522.0); everything else by Jackson's equality. */
    static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        return a.equals(b) ? 0 : 1;
    };
}
