package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a flow has while it delivers one message: its vendor client, the base URL (the reference's, or the
 * base-URL override), the state its destination keeps for the batch ({@link BatchMemo}: so a user or company is
 * looked up once per batch, not once per event), and the ids the instance has learned in earlier batches ({@link
 * KnownIds}). Not thread-safe: one per message.
 */
public final class Delivery {
    private final VendorClient vendor;
    private final String baseUrl;
    private final BatchMemo batchMemo;
    private final KnownIds known;
    private final List<String> recalled = new ArrayList<>();
    private final List<Erasure.Call> erased = new ArrayList<>();
    private final List<String> valuesCut = new ArrayList<>();

    public Delivery(VendorClient vendor, String baseUrl, BatchMemo batchMemo) {
        this(vendor, baseUrl, batchMemo, KnownIds.none());
    }

    public Delivery(VendorClient vendor, String baseUrl, BatchMemo batchMemo, KnownIds known) {
        this.vendor = vendor;
        this.baseUrl = baseUrl;
        this.batchMemo = batchMemo;
        this.known = known;
    }

    public VendorClient vendor() {
        return vendor;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** What the destination keeps for this batch under {@code key} (shared with the batch's other events). */
    public <T extends BatchMemo.State> T batch(BatchMemo.Key<T> key) {
        return batchMemo.get(key);
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
            batchMemo.forget(key);
        }
        recalled.clear();
        return true;
    }

    /**
     * Deletes one user at the vendor (README "User deletion"): a 2xx or a 404 is done, so a user the vendor does not
     * know counts as deleted; anything else throws, classified. Each call is noted for the deletion receipt, failed
     * or not; {@code call} names the endpoint with a placeholder for the id ({@code DELETE /v1/users/{identifyId}}).
     */
    public void deleteUser(String userId, String call, VendorRequest request, VendorClient.Step step) {
        try {
            int status = vendor.delete(request, step).status();
            erased.add(new Erasure.Call(userId, call, status, java.time.Instant.now()));
        } catch (Failure f) {
            erased.add(new Erasure.Call(userId, call, f.vendorStatus(), java.time.Instant.now()));
            throw f;
        }
    }

    /** The deletion calls this message made, in order ({@link #deleteUser}). */
    List<Erasure.Call> erased() {
        return List.copyOf(erased);
    }

    /**
     * The flow cut a value to the vendor's documented length (D31): {@code field} is the vendor's field name, never
     * the value. The event is still delivered; its log line and the {@code ValuesCut} metric name the field.
     */
    public void valueCut(String field) {
        if (!valuesCut.contains(field)) valuesCut.add(field);
    }

    /** The fields {@link #valueCut} noted, in order. */
    public List<String> valuesCut() {
        return List.copyOf(valuesCut);
    }

    /**
     * A lookup found nothing (D11). Young messages are retried as DEPENDENCY_NOT_READY; once the message has been
     * received as often as D11 allows, the batch runner's retry policy turns this into a permanent NOT_FOUND.
     */
    public static Failure notFound(String referenceMessage) {
        return new Failure(Reason.DEPENDENCY_NOT_READY, referenceMessage);
    }
}
