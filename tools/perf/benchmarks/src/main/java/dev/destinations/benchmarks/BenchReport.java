package dev.destinations.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH's JSON result into bin/bench's table: per case, the three rates side by side, the mapping rate
 * against the reference transformer's, and the whole event's cost against the Jackson floor measured in the same run.
 */
public final class BenchReport {
    private BenchReport() {}

    public static void main(String[] args) throws Exception {
        JsonNode results = Json.parse(Files.readString(Path.of(args[0])));
        JsonNode reference;
        try (InputStream in = BenchReport.class.getResourceAsStream("/reference-rates.json")) {
            reference = Json.mapper().readTree(in);
        }
        Map<String, Map<String, double[]>> byCase = new TreeMap<>();
        for (JsonNode r : results) {
            String method = r.path("benchmark").asText().replaceFirst(".*\\.", "");
            String caseName = r.path("params").path("caseName").asText();
            JsonNode m = r.path("primaryMetric");
            byCase.computeIfAbsent(caseName, k -> new TreeMap<>()).put(method, new double[] {m.path("score").asDouble(), m.path("scoreError").asDouble()});
        }
        System.out.println("| case | mapping, events/s | reference mapping | x reference | whole event, events/s | Jackson floor, events/s | whole event / floor (time) | reference text in/out | whole event x reference |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (var e : byCase.entrySet()) {
            double[] mapping = e.getValue().get("mapping");
            double[] whole = e.getValue().get("wholeEvent");
            double[] floor = e.getValue().get("jacksonFloor");
            JsonNode ref = reference.path(e.getKey());
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(), rate(mapping),
                    ref.has("mapping") ? k(ref.get("mapping").asDouble()) : "-",
                    mapping != null && ref.has("mapping") ? String.format("%.1fx", mapping[0] / ref.get("mapping").asDouble()) : "-",
                    rate(whole), rate(floor),
                    whole != null && floor != null ? String.format("%.2fx", floor[0] / whole[0]) : "-",
                    ref.has("textInOut") ? k(ref.get("textInOut").asDouble()) : "-",
                    whole != null && ref.has("textInOut") ? String.format("%.1fx", whole[0] / ref.get("textInOut").asDouble()) : "-");
        }
    }

    private static String rate(double[] scoreAndError) {
        if (scoreAndError == null) return "-";
        return Double.isFinite(scoreAndError[1]) ? k(scoreAndError[0]) + " ± " + k(scoreAndError[1]) : k(scoreAndError[0]);
    }

    private static String k(double perSecond) {
        return String.format("%,.0fk", perSecond / 1000);
    }
}
