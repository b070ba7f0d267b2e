package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a flow has while it delivers one message: its vendor client, the base URL (the reference's, or the
 * base-URL override), the message's receive count, a memo shared by the messages of one batch (so a user
 * or company is looked up once per batch, not once per event), and the ids the instance has learned in earlier
 * batches ({@link KnownIds}). Not thread-safe: one per message.
 */
public final class Delivery {
    private final VendorClient vendor;
    private final String baseUrl;
    private final int receiveCount;
    private final Map<String, Object> batchMemo;
    private final KnownIds known;
    private final List<String> recalled = new ArrayList<>();

    public Delivery(VendorClient vendor, String baseUrl, int receiveCount, Map<String, Object> batchMemo) {
        this(vendor, baseUrl, receiveCount, batchMemo, KnownIds.none());
    }

    public Delivery(VendorClient vendor, String baseUrl, int receiveCount, Map<String, Object> batchMemo, KnownIds known) {
        this.vendor = vendor;
        this.baseUrl = baseUrl;
        this.receiveCount = receiveCount;
        this.batchMemo = batchMemo;
        this.known = known;
    }

    /** A fresh memo for one batch. Thread-safe: different users of a batch run concurrently. */
    public static Map<String, Object> newBatchMemo() {
        return new ConcurrentHashMap<>();
    }

    public VendorClient vendor() {
        return vendor;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int receiveCount() {
        return receiveCount;
    }

    public Map<String, Object> batchMemo() {
        return batchMemo;
    }

    /**
     * The ids an earlier batch learned under {@code key} (a lookup URL), or null: the flow then looks up. Each key
     * recalled is noted, so that a 404 from a write that relied on it makes the event forget it and start again.
     */
    public ObjectNode recall(String key) {
        ObjectNode ids = known.get(key);
        if (ids != null) recalled.add(key);
        return ids;
    }

    /** After a lookup or a write showed that the record under {@code key} exists: keeps its {@code idFields}. */
    public void learn(String key, JsonNode record, String... idFields) {
        known.put(key, record, idFields);
    }

    /**
     * A write relying on recalled ids answered 404: the record is gone at the vendor. Forgets every key this event
     * recalled, in the instance and in the batch memo, so a second try looks them up; false when none was recalled.
     */
    boolean forgetRecalled() {
        if (recalled.isEmpty()) return false;
        for (String key : recalled) {
            known.forget(key);
            batchMemo.remove(key);
        }
        recalled.clear();
        return true;
    }

    /**
     * A lookup found nothing (D11). Young messages are retried as DEPENDENCY_NOT_READY; once the message has been
     * received as often as D11 allows, {@link EventProcessor} turns this into a permanent NOT_FOUND.
     */
    public static Failure notFound(String referenceMessage) {
        return new Failure(Reason.DEPENDENCY_NOT_READY, referenceMessage);
    }
}
