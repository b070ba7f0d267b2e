package dev.destinations.delivery.gate;

import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;

/**
 * A known type this destination does not deliver is skipped as {@code not_handled} (D12); the erasure messages
 * ({@code userDeletion}, {@code suppress}, {@code unsuppress}) every destination takes ({@link Erasure#EVERY_DESTINATION}, D64).
 */
public final class HandledTypesGate<S> implements Gate<S> {
    private final Destination<S> destination;

    public HandledTypesGate(Destination<S> destination) {
        this.destination = destination;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        if (destination.handledTypes().contains(c.type()) || Erasure.EVERY_DESTINATION.contains(c.type())) return PASS;
        return Verdict.of(Reason.NOT_HANDLED, destination.slug() + " does not handle " + c.type().wireName() + " events");
    }
}
