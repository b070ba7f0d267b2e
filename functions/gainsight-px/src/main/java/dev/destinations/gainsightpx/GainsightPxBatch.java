package dev.destinations.gainsightpx;

import dev.destinations.delivery.BatchMemo;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What Gainsight PX remembers within one SQS batch: which users and accounts exist (found or written; a failed
 * lookup never counts), by URL, and one lock per user or account, so concurrent users of the batch do not check or
 * create the same account twice. Thread-safe.
 */
final class GainsightPxBatch implements BatchMemo.State {
    static final BatchMemo.Key<GainsightPxBatch> KEY = new BatchMemo.Key<>(GainsightPxBatch::new);

    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    boolean exists(String url) {
        return existing.contains(url);
    }

    void existsNow(String url) {
        existing.add(url);
    }

    /** The batch's lock for the user or account at {@code url}. */
    ReentrantLock lock(String url) {
        return locks.computeIfAbsent(url, k -> new ReentrantLock());
    }

    @Override
    public void forget(String url) {
        existing.remove(url);
    }
}
