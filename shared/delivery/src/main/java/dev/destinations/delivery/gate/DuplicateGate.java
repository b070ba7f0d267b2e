package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.DeliveredEvents;
import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import dev.destinations.mapping.Event;

/**
 * A non-idempotent write ({@link Destination#deduplicates}) claims its key in the deduplication store (README
 * "Duplicate events"): already delivered is skipped as {@code duplicate}, a claim held elsewhere is retried as
 * {@code in_flight}, a store that cannot answer lets the event through unclaimed (at least once, as without the
 * store). A claim is held while the flow runs, then completed when the flow wrote, else released.
 */
public final class DuplicateGate<S> implements Gate<S> {
    private final Destination<S> destination;
    private final DeliveredEvents delivered;

    public DuplicateGate(Destination<S> destination, DeliveredEvents delivered) {
        this.destination = destination;
        this.delivered = delivered;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        if (!destination.deduplicates(c.type(), c.settings())) return PASS;
        String key = key(c.event(), c.sqsId());
        if (key == null) return PASS;
        return switch (delivered.claim(key)) {
            case ALREADY_DELIVERED -> Verdict.of(Reason.DUPLICATE, "messageId already delivered to " + destination.slug() + " within the deduplication window");
            case IN_FLIGHT -> Verdict.of(Reason.IN_FLIGHT, "another delivery of this messageId is writing it; its claim expires before the next receive");
            case UNAVAILABLE -> PASS; // delivered at least once, as without the store (the store logged why)
            case CLAIMED -> {
                c.hold(written -> {
                    if (written) delivered.complete(key);
                    else delivered.release(key);
                });
                yield PASS;
            }
        };
    }

    /**
     * {@code <destination>#<messageId>}, else {@code <destination>#<SQS message id>} (for an event of a batch body
     * {@code <id>#<n>}, so a redelivery of the body finds it); null when there is neither.
     */
    private String key(Event event, String sqsId) {
        JsonNode id = event.root().get("messageId");
        String messageId = id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank() ? id.asText() : sqsId;
        return messageId == null ? null : destination.slug() + "#" + messageId;
    }
}
