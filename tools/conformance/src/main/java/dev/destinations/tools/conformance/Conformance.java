package dev.destinations.tools.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/conformance [--deviations FILE] [PATH ...]}: replays conformance case files (files, or folders searched
 * for {@code *.json}) through the functions' real handlers, prints one line per failing case and ends with
 * {@code conformance: N passed, M failed}. Exit status 0 iff nothing failed. Cases listed in the deviations file
 * are checked against the project's expected result instead of the reference's.
 */
public final class Conformance {
    public record Verdict(String id, String failure) {}

    private final Map<String, JsonNode> deviations;

    public Conformance(Map<String, JsonNode> deviations) {
        this.deviations = deviations;
    }

    public static void main(String[] args) throws IOException {
        List<Path> inputs = new ArrayList<>();
        Path deviationsFile = Path.of("tools", "conformance", "conformance-deviations.json");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--deviations") && i + 1 < args.length) deviationsFile = Path.of(args[++i]);
            else inputs.add(Path.of(args[i]));
        }
        if (inputs.isEmpty()) inputs.add(Path.of("..", "shared", "conformance"));
        Conformance runner = new Conformance(loadDeviations(deviationsFile));
        List<Verdict> verdicts = runner.run(caseFiles(inputs), System.out);
        long failed = verdicts.stream().filter(v -> v.failure() != null).count();
        System.out.println("conformance: " + (verdicts.size() - failed) + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    public static Map<String, JsonNode> loadDeviations(Path file) throws IOException {
        Map<String, JsonNode> map = new HashMap<>();
        if (!Files.exists(file)) return map;
        for (JsonNode d : Json.mapper().readTree(file.toFile()).path("deviations")) map.put(d.path("id").asText(), d);
        return map;
    }

    public static List<Path> caseFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".json")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** Replays every case of the files; prints a line per failure to {@code out}. */
    public List<Verdict> run(List<Path> files, PrintStream out) throws IOException {
        List<Verdict> verdicts = new ArrayList<>();
        try (VendorStub stub = VendorStub.start()) {
            CaseReplay replay = new CaseReplay(stub);
            for (Path file : files) {
                JsonNode cases;
                try {
                    cases = Json.mapper().readTree(file.toFile());
                } catch (IOException e) {
                    continue; // not a case file (e.g. a README next to them)
                }
                if (!cases.isArray()) continue;
                for (JsonNode c : cases) {
                    Verdict v = judge(c, replay);
                    if (v.failure() != null) out.println("FAIL " + v.id() + ": " + v.failure());
                    verdicts.add(v);
                }
            }
        }
        return verdicts;
    }

    Verdict judge(JsonNode c, CaseReplay replay) {
        String id = c.path("id").asText("(no id)");
        var function = Functions.byCaseName(c.path("destination").asText());
        if (function.isEmpty()) return new Verdict(id, "no function for destination '" + c.path("destination").asText() + "'");
        JsonNode deviation = deviations.get(id);
        JsonNode expected = deviation != null ? deviation.path("expected") : c.path("expected");
        CaseReplay.Observed seen;
        try {
            seen = replay.run(c, function.get());
        } catch (RuntimeException e) {
            return new Verdict(id, "the handler threw " + e);
        }
        return new Verdict(id, compare(expected, seen));
    }

    /** Null when the observation meets the expectation. */
    static String compare(JsonNode expected, CaseReplay.Observed seen) {
        if (seen.result() == null) return "the handler reported no outcome";
        Outcome want = expectedResult(expected);
        String got = seen.result().code() + (seen.outcome().reason() == null ? "" : " (" + seen.outcome().reason().code() + ": " + seen.outcome().detail() + ")");
        if (seen.result() != want) return "expected " + want.code() + ", got " + got;
        JsonNode error = expected.path("error");
        String message = expected.hasNonNull("message") ? expected.get("message").asText() : error.path("message").asText(null);
        if (want != Outcome.DELIVERED && want != Outcome.SKIPPED && message != null
                && (seen.outcome().detail() == null || !seen.outcome().detail().contains(message))) {
            return "reason should carry \"" + message + "\", got " + got;
        }
        if (expected.hasNonNull("reasonCode") && !expected.get("reasonCode").asText().equals(seen.outcome().reason().code())) {
            return "expected reason " + expected.get("reasonCode").asText() + ", got " + got;
        }
        List<JsonNode> requests = new ArrayList<>();
        expected.path("requests").forEach(requests::add);
        String mode = expected.path("requestsMatch").asText(want == Outcome.DELIVERED ? "exact" : "subsequence");
        return RequestMatching.check(mode, requests, seen.calls());
    }

    /** The result a case expects: an explicit {@code outcome}, skipped, an error's class, or delivered. */
    static Outcome expectedResult(JsonNode expected) {
        if (expected.hasNonNull("outcome")) return Outcome.valueOf(expected.get("outcome").asText().toUpperCase(java.util.Locale.ROOT));
        if (expected.path("skipped").asBoolean(false)) return Outcome.SKIPPED;
        JsonNode error = expected.get("error");
        if (error != null && !error.isNull()) {
            int status = error.path("statusCode").asInt(expected.path("httpStatus").asInt(400));
            boolean retryable = status == 408 || status == 429 || status >= 500;
            return retryable ? Outcome.RETRIED : Outcome.PARKED;
        }
        return Outcome.DELIVERED;
    }
}
