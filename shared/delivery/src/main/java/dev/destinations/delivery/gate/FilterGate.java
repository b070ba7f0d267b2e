package dev.destinations.delivery.gate;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;

/** The destination's event filter ({@link EventFilter}) keeps a track event from it: skipped as {@code filtered}. */
public final class FilterGate<S> implements Gate<S> {
    @Override
    public Verdict check(Candidate<S> c) {
        EventFilter filter = c.controls().filter();
        if (!filter.drops(c.type(), c.event().root())) return PASS;
        return Verdict.of(Reason.FILTERED, filter.option().equals("whitelistedEvents")
                ? "the track event's name is not in whitelistedEvents" : "the track event's name is in blacklistedEvents");
    }
}
