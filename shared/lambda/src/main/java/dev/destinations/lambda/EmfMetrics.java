package dev.destinations.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch embedded metric format, written once per invocation: counts per verdict and vendor latency with the
 * dimension {@code Destination}, counts per verdict and reason with {@code Destination, Verdict, Reason}, and values
 * cut to a vendor's limits ({@code ValuesCut}, D31) with {@code Destination, Field}.
 * Dimensions never carry user or tenant ids. Thread-safe.
 */
public final class EmfMetrics {
    private final PrintStream out;
    private final String namespace;
    private final String destination;
    private final EnumMap<Outcome, Integer> results = new EnumMap<>(Outcome.class);
    private final Map<Outcome, EnumMap<Reason, Integer>> reasons = new EnumMap<>(Outcome.class);
    private final List<Long> latencies = new ArrayList<>();
    private int vendorCalls;
    private boolean coldStart;
    private boolean circuitOpen;
    private int dedupUnavailable;
    private int archiveWrites;
    private int archivedEvents;
    private int archiveFailures;
    private int replayed;
    private int suppressionUnavailable;
    private Lane lane;
    private int payloadDeleteFailed;
    private final Map<String, Integer> valuesCut = new java.util.TreeMap<>();
    private final long dailyQuota;

    public EmfMetrics(PrintStream out, String namespace, String destination) {
        this(out, namespace, destination, 0);
    }

    /** @param dailyQuota the destination's VENDOR_DAILY_QUOTA (0 = none), written with every flush for the quota alarm (D38) */
    public EmfMetrics(PrintStream out, String namespace, String destination, long dailyQuota) {
        this.out = out;
        this.namespace = namespace;
        this.destination = destination;
        this.dailyQuota = dailyQuota;
    }

    public synchronized void coldStart() {
        coldStart = true;
    }

    /** Whether this instance's circuit is open (or probing) at the end of the invocation: the dashboard's circuit line. */
    public synchronized void circuit(boolean open) {
        circuitOpen = open;
    }

    /** An offloaded body's S3 object was not deleted after its message settled (D59): it stays until the bucket's lifecycle. */
    public synchronized void payloadDeleteFailed() {
        payloadDeleteFailed++;
    }

    /** The lane this invocation's batch came from (D57): Delivered and VendorCalls are also written per lane. */
    public synchronized void lane(Lane lane) {
        this.lane = lane;
    }

    /** A call to the deduplication store failed; the event was delivered without it. */
    public synchronized void dedupUnavailable() {
        dedupUnavailable++;
    }

    /** A batch's archive object was written, with this many events (D53). */
    public synchronized void archived(int events) {
        archiveWrites++;
        archivedEvents += events;
    }

    /** A batch's archive object was not written; the batch was delivered without it. */
    public synchronized void archiveFailed() {
        archiveFailures++;
    }

    /** Messages of the batch that bin/replay sent (D54). */
    public synchronized void replayed(int messages) {
        replayed += messages;
    }

    /** A call to the suppression store failed; the event (or erasure message) was retried, not delivered (D49). */
    public synchronized void suppressionUnavailable() {
        suppressionUnavailable++;
    }

    /** A value of the vendor field {@code field} was cut to the vendor's documented length (D31). */
    public synchronized void valueCut(String field) {
        valuesCut.merge(field, 1, Integer::sum);
    }

    public synchronized void record(Outcome outcome, Reason reason, int calls, long vendorMillis) {
        results.merge(outcome, 1, Integer::sum);
        if (reason != null) reasons.computeIfAbsent(outcome, r -> new EnumMap<>(Reason.class)).merge(reason, 1, Integer::sum);
        vendorCalls += calls;
        if (calls > 0 && latencies.size() < 100) latencies.add(vendorMillis); // EMF takes at most 100 values
    }

    /** Writes the lines and resets the counters. */
    public synchronized void flush() {
        long now = System.currentTimeMillis();
        ObjectNode main = envelope(now, List.of("Destination"));
        ArrayNode metrics = (ArrayNode) main.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics");
        for (Outcome r : Outcome.values()) {
            String name = Character.toUpperCase(r.code().charAt(0)) + r.code().substring(1);
            metrics.addObject().put("Name", name).put("Unit", "Count");
            main.put(name, results.getOrDefault(r, 0));
        }
        metrics.addObject().put("Name", "VendorCalls").put("Unit", "Count");
        main.put("VendorCalls", vendorCalls);
        if (!latencies.isEmpty()) {
            metrics.addObject().put("Name", "VendorLatencyMs").put("Unit", "Milliseconds");
            ArrayNode values = main.putArray("VendorLatencyMs");
            latencies.forEach(values::add);
        }
        if (dailyQuota > 0) {
            // the alarm divides the calls of the last hour, times 24, by this: the day's use at that rate (D38)
            metrics.addObject().put("Name", "VendorDailyQuota").put("Unit", "Count");
            main.put("VendorDailyQuota", dailyQuota);
        }
        metrics.addObject().put("Name", "CircuitOpen").put("Unit", "Count");
        main.put("CircuitOpen", circuitOpen ? 1 : 0);
        countIfAny(main, metrics, "DedupUnavailable", dedupUnavailable);
        countIfAny(main, metrics, "ArchiveWrites", archiveWrites);
        countIfAny(main, metrics, "ArchivedEvents", archivedEvents);
        countIfAny(main, metrics, "ArchiveFailures", archiveFailures);
        countIfAny(main, metrics, "Replayed", replayed);
        countIfAny(main, metrics, "PayloadDeleteFailed", payloadDeleteFailed);
        countIfAny(main, metrics, "SuppressionUnavailable", suppressionUnavailable);
        if (coldStart) {
            metrics.addObject().put("Name", "ColdStart").put("Unit", "Count");
            main.put("ColdStart", 1);
        }
        out.println(Json.write(main));
        if (lane != null) { // the dashboard's lane rates
            count(now, "Delivered", results.getOrDefault(Outcome.DELIVERED, 0), Map.of("Lane", lane.code()));
            count(now, "VendorCalls", vendorCalls, Map.of("Lane", lane.code()));
        }
        reasons.forEach((outcome, byReason) -> byReason.forEach((reason, count) ->
                count(now, "Messages", count, Map.of("Outcome", outcome.code(), "Reason", reason.code()))));
        valuesCut.forEach((field, count) -> count(now, "ValuesCut", count, Map.of("Field", field)));
        valuesCut.clear();
        results.clear();
        reasons.clear();
        latencies.clear();
        vendorCalls = 0;
        dedupUnavailable = 0;
        archiveWrites = archivedEvents = archiveFailures = replayed = 0;
        suppressionUnavailable = 0;
        coldStart = false;
        lane = null;
        payloadDeleteFailed = 0;
    }

    /** A count metric on the main line, only when it happened (as DedupUnavailable). */
    private static void countIfAny(ObjectNode main, ArrayNode metrics, String name, int value) {
        if (value == 0) return;
        metrics.addObject().put("Name", name).put("Unit", "Count");
        main.put(name, value);
    }

    /** One line: the count {@code name} with the dimensions Destination and {@code dimensions} (in key order). */
    private void count(long now, String name, int count, Map<String, String> dimensions) {
        Map<String, String> sorted = new java.util.TreeMap<>(dimensions);
        List<String> names = new ArrayList<>(List.of("Destination"));
        names.addAll(sorted.keySet());
        ObjectNode line = envelope(now, names);
        ((ArrayNode) line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")).addObject().put("Name", name).put("Unit", "Count");
        sorted.forEach(line::put);
        line.put(name, count);
        out.println(Json.write(line));
    }

    private ObjectNode envelope(long now, List<String> dimensions) {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", now);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dims = directive.putArray("Dimensions").addArray();
        dimensions.forEach(dims::add);
        directive.putArray("Metrics");
        root.put("Destination", destination);
        return root;
    }
}
