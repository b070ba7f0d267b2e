package dev.destinations.delivery.gate;

import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Suppressions;
import dev.destinations.delivery.Verdict;

/**
 * An event whose user was deleted or suppressed at this destination is skipped as {@code suppressed} (D49), before
 * any vendor call and whatever route it came by. The user is the event's generic {@code userId} ({@link
 * Erasure#subject}). The store fails closed: when it cannot answer it throws {@code suppression_unavailable}, so the
 * event is retried rather than delivered unchecked. Erasure messages themselves are not checked (a deletion of a
 * suppressed user still deletes).
 */
public final class SuppressionGate<S> implements Gate<S> {
    private final Destination<S> destination;
    private final Suppressions suppressions;

    public SuppressionGate(Destination<S> destination, Suppressions suppressions) {
        this.destination = destination;
        this.suppressions = suppressions;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        if (c.type().erasure()) return PASS;
        String subject = Erasure.subject(c.event());
        if (subject == null || !suppressions.suppressed(subject)) return PASS;
        return Verdict.of(Reason.SUPPRESSED, "the event's user was deleted or suppressed at " + destination.slug());
    }
}
