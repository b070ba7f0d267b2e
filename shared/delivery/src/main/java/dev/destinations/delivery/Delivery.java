package dev.destinations.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a flow has while it delivers one message: its vendor client, the base URL (the reference's, or the
 * base-URL override), the message's receive count, and a memo shared by the messages of one batch (so a user
 * or company is looked up once per batch, not once per event).
 */
public final class Delivery {
    private final VendorClient vendor;
    private final String baseUrl;
    private final int receiveCount;
    private final Map<String, Object> batchMemo;

    public Delivery(VendorClient vendor, String baseUrl, int receiveCount, Map<String, Object> batchMemo) {
        this.vendor = vendor;
        this.baseUrl = baseUrl;
        this.receiveCount = receiveCount;
        this.batchMemo = batchMemo;
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
     * A lookup found nothing (D11). Young messages are retried as DEPENDENCY_NOT_READY; once the message has been
     * received as often as D11 allows, {@link EventProcessor} turns this into a permanent NOT_FOUND.
     */
    public static Failure notFound(String referenceMessage) {
        return new Failure(Reason.DEPENDENCY_NOT_READY, referenceMessage);
    }
}
