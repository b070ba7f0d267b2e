package dev.destinations.delivery;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link DeliveredEvents} in one JVM: the claim rules of the DynamoDB store (an expired claim or an expired
 * delivered marker may be claimed again), for unit tests and the local tools. Thread-safe.
 */
public final class InMemoryDeliveredEvents implements DeliveredEvents {
    private record Entry(boolean delivered, long expiresNanos) {}

    private final Duration claimExpiry;
    private final Duration window;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * @param claimExpiry how long an uncompleted claim blocks the key
     * @param window      how long a completed key stays delivered
     */
    public InMemoryDeliveredEvents(Duration claimExpiry, Duration window, LongSupplier nanoClock) {
        this.claimExpiry = claimExpiry;
        this.window = window;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized Claim claim(String key) {
        long now = nanoClock.getAsLong();
        Entry e = entries.get(key);
        if (e != null && e.expiresNanos() - now > 0) return e.delivered() ? Claim.ALREADY_DELIVERED : Claim.IN_FLIGHT;
        entries.put(key, new Entry(false, now + claimExpiry.toNanos()));
        return Claim.CLAIMED;
    }

    @Override
    public synchronized void complete(String key) {
        entries.put(key, new Entry(true, nanoClock.getAsLong() + window.toNanos()));
    }

    @Override
    public synchronized void release(String key) {
        Entry e = entries.get(key);
        if (e != null && !e.delivered()) entries.remove(key);
    }

    /** How many keys are held (claimed or delivered, expired ones included until claimed again). */
    public synchronized int size() {
        return entries.size();
    }
}
