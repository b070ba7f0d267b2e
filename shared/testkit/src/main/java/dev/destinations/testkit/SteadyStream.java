package dev.destinations.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A steady, mixed stream of events for a fixed set of known users, batch by batch: per batch of 10, 2 identify,
 * 5 track, 2 page and 1 group (track-heavy, as product analytics streams are), the users taken in turn from
 * {@link #USERS}, each group for one of {@link #GROUPS}. Used to count vendor calls per event once an instance
 * knows its users (tests and {@code bin/calls-per-event}).
 */
public final class SteadyStream {
    public static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6");
    public static final List<String> GROUPS = List.of("g1", "g2");
    /** Batches 0 and 1 meet every user and both groups for the first time; the steady state starts after them. */
    public static final int WARMUP_BATCHES = 2;
    /** The shape of every batch: type per position. */
    static final List<String> TYPES = List.of("identify", "track", "page", "track", "track", "identify", "track", "group", "page", "track");

    private SteadyStream() {}

    /** The bodies of batch {@code n} (0, 1, ...): 10 events, each user's in order. */
    public static List<String> batch(int n) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < TYPES.size(); i++) {
            int seq = n * TYPES.size() + i;
            String user = USERS.get(seq % USERS.size());
            bodies.add(event(TYPES.get(i), user, GROUPS.get(n % GROUPS.size()), seq));
        }
        return bodies;
    }

    /** Delivers one batch of the stream; returns the vendor calls it made. */
    @FunctionalInterface
    public interface BatchRun {
        int deliver(int n, List<String> bodies);
    }

    /** Vendor calls and events of the first {@link #WARMUP_BATCHES} batches, and of the steady state after them. */
    public record Tally(int warmupCalls, int warmupEvents, int steadyCalls, int steadyEvents) {
        public double warmupPerEvent() {
            return (double) warmupCalls / warmupEvents;
        }

        public double steadyPerEvent() {
            return (double) steadyCalls / steadyEvents;
        }
    }

    /** Runs batches 0 to {@code batches - 1} of the stream through {@code run} and counts. */
    public static Tally run(int batches, BatchRun run) {
        if (batches <= WARMUP_BATCHES) throw new IllegalArgumentException("batches must be more than " + WARMUP_BATCHES);
        int[] calls = new int[2];
        int[] events = new int[2];
        for (int n = 0; n < batches; n++) {
            List<String> bodies = batch(n);
            int phase = n < WARMUP_BATCHES ? 0 : 1;
            calls[phase] += run.deliver(n, bodies);
            events[phase] += bodies.size();
        }
        return new Tally(calls[0], events[0], calls[1], events[1]);
    }

    /** How many events of a batch are of {@code type}. */
    public static long perBatch(String type) {
        return TYPES.stream().filter(type::equals).count();
    }

    static String event(String type, String user, String group, int seq) {
        String common = "\"type\":\"" + type + "\",\"userId\":\"" + user + "\",\"messageId\":\"steady-" + seq
                + "\",\"timestamp\":\"2026-11-24T10:00:00.000Z\"";
        return switch (type) {
            case "identify" -> "{" + common + ",\"traits\":{\"plan\":\"pro\",\"visits\":" + seq + "}}";
            case "track" -> "{" + common + ",\"event\":\"Report Viewed\",\"properties\":{\"n\":" + seq + "}}";
            case "page" -> "{" + common + ",\"context\":{\"page\":{\"url\":\"https://app.example.com/p/" + seq + "\",\"path\":\"/p/" + seq + "\"}}}";
            case "group" -> "{" + common + ",\"groupId\":\"" + group + "\",\"traits\":{\"name\":\"Company " + group + "\"}}";
            default -> throw new IllegalArgumentException(type);
        };
    }
}
