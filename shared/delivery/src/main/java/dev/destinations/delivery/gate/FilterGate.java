package dev.destinations.delivery.gate;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;

/**
 * The destination's event filter ({@link EventFilter}, from its settings, track events) or the template's blocked
 * names ({@link EventFilter#blockedTrackEvents}, D61, any event named so) keeps an event from it: skipped as {@code filtered}.
 */
public final class FilterGate<S> implements Gate<S> {
    private final EventFilter blockedTrackEvents;

    public FilterGate() {
        this(EventFilter.NONE);
    }

    /** @param blockedTrackEvents the template's blocklist, kept whatever the settings' filter says */
    public FilterGate(EventFilter blockedTrackEvents) {
        this.blockedTrackEvents = blockedTrackEvents;
    }

    @Override
    public Verdict check(Candidate<S> c) {
        if (blockedTrackEvents.lists(c.event().root())) {
            return Verdict.of(Reason.FILTERED, "the event's name is in the template's BlockedTrackEvents (BLOCKED_TRACK_EVENTS)");
        }
        EventFilter filter = c.controls().filter();
        if (!filter.drops(c.type(), c.event().root())) return PASS;
        return Verdict.of(Reason.FILTERED, filter.option().equals("whitelistedEvents")
                ? "the track event's name is not in whitelistedEvents" : "the track event's name is in blacklistedEvents");
    }
}
