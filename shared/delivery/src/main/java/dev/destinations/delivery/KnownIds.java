package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.mapping.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one function instance has learned about vendor records across batches (D24): that a user, company or
 * account exists, and its vendor ids, under the key the flow looks it up by (a lookup URL). Bounded in size (least
 * recently used goes first) and in time (a fact is dropped {@code ttl} after it was learned, however often it is
 * read), so a record changed elsewhere is looked up again within {@code ttl}. Only the id fields a flow names are
 * kept, never the rest of a vendor answer (no email, no name). Thread-safe: the users of a batch run concurrently.
 */
public final class KnownIds {
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Fact> entries;

    private record Fact(ObjectNode ids, long learnedAt) {}

    /**
     * @param maxEntries at most this many facts; 0 remembers nothing
     * @param ttl        how long a fact is believed after it was learned; zero remembers nothing
     * @param nanoClock  {@link System#nanoTime} in production, a test's clock in tests
     */
    public KnownIds(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) { // access order: the least recently used is eldest
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Fact> eldest) {
                return size() > KnownIds.this.maxEntries;
            }
        };
    }

    /** Remembers nothing: for offline runs (priming) and tools that want the per-batch behaviour only. */
    public static KnownIds none() {
        return new KnownIds(0, Duration.ZERO, System::nanoTime);
    }

    /** The ids remembered under {@code key}, or null when nothing (or only an expired fact) is. Do not modify it. */
    public synchronized ObjectNode get(String key) {
        Fact e = entries.get(key);
        if (e == null) return null;
        if (nanoClock.getAsLong() - e.learnedAt() >= ttlNanos) {
            entries.remove(key);
            return null;
        }
        return e.ids();
    }

    /** Remembers that the record under {@code key} exists, keeping only {@code idFields} of {@code record}. */
    public void put(String key, JsonNode record, String... idFields) {
        if (maxEntries == 0 || ttlNanos <= 0) return;
        ObjectNode ids = Json.object();
        for (String field : idFields) {
            JsonNode v = record == null ? null : record.get(field);
            if (v != null && v.isValueNode() && !v.isNull()) ids.set(field, v);
        }
        long now = nanoClock.getAsLong();
        synchronized (this) {
            entries.put(key, new Fact(ids, now));
        }
    }

    public synchronized void forget(String key) {
        entries.remove(key);
    }

    public synchronized int size() {
        return entries.size();
    }
}
