package dev.destinations.delivery.gate;

import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;

/** An event without a {@code type}, or with one the spec does not know, is invalid: parked with the reference's message. */
public final class TypeGate<S> implements Gate<S> {
    private final Destination<S> destination;

    public TypeGate(Destination<S> destination) {
        this.destination = destination;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        String typeText = c.event().typeText();
        if (typeText == null) return Verdict.of(Reason.INVALID_EVENT, destination.missingTypeMessage());
        if (c.type() == null) return Verdict.of(Reason.INVALID_EVENT, destination.unknownTypeMessage(typeText.toLowerCase()));
        return PASS;
    }
}
