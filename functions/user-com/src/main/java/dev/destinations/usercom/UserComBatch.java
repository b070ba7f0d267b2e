package dev.destinations.usercom;

import dev.destinations.delivery.BatchMemo;
import dev.destinations.usercom.UserComDestination.Known;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What User.com remembers within one SQS batch: per lookup URL, the user or company found or written, or that it
 * does not exist ({@code Known(null)}); a failed lookup is never remembered. Thread-safe: where two users of the
 * batch race, the first answer stored wins ({@link #putIfAbsent}).
 */
final class UserComBatch implements BatchMemo.State {
    static final BatchMemo.Key<UserComBatch> KEY = new BatchMemo.Key<>(UserComBatch::new);

    private final ConcurrentHashMap<String, Known> byUrl = new ConcurrentHashMap<>();

    /** What the batch knows under {@code url}, or null when it has not looked. */
    Known get(String url) {
        return byUrl.get(url);
    }

    /** Stores {@code known} unless the batch already knows something under {@code url}; returns that, or null. */
    Known putIfAbsent(String url, Known known) {
        return byUrl.putIfAbsent(url, known);
    }

    void put(String url, Known known) {
        byUrl.put(url, known);
    }

    @Override
    public void forget(String url) {
        byUrl.remove(url);
    }
}
