package dev.destinations.delivery.gate;

import dev.destinations.delivery.Destination;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;

/** The event's {@code integrations} object may switch this destination off (1.6, D13): skipped as {@code disabled}. */
public final class IntegrationsGate<S> implements Gate<S> {
    private final Destination<S> destination;

    public IntegrationsGate(Destination<S> destination) {
        this.destination = destination;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        if (!c.event().disabledFor(destination.integrationNames())) return PASS;
        return Verdict.of(Reason.DISABLED, "the event's integrations object disables " + destination.slug());
    }
}
