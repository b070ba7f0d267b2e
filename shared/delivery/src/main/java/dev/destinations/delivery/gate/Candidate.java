package dev.destinations.delivery.gate;

import dev.destinations.delivery.Credentials;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One event on its way to its flow, as the gates see it: read once; its settings parsed when a gate first asks
 * (a gate before the settings gate never does). Used by one thread, for one event.
 *
 * @param <S> the destination's parsed settings
 */
public final class Candidate<S> {
    private final Event event;
    private final EventType type;
    private final String sqsId;
    private final Supplier<S> settingsSource;
    private final Supplier<DataControls> controlsSource;
    private final Credentials credentials;
    private final List<Hold> holds = new ArrayList<>(1);
    private S settings;
    private DataControls controls;

    /**
     * @param type        the event's type, null when its {@code type} is missing or unknown
     * @param sqsId       the SQS message id ({@code <id>#<n>} for an event of a batch body), or null
     * @param settings    parses the current settings; throws a CONFIGURATION or SECRET_UNAVAILABLE failure
     * @param controls    parses the data controls of the current settings; throws as {@code settings}
     * @param credentials the API key, read when asked
     */
    public Candidate(Event event, EventType type, String sqsId, Supplier<S> settings, Supplier<DataControls> controls, Credentials credentials) {
        this.event = event;
        this.type = type;
        this.sqsId = sqsId;
        this.settingsSource = settings;
        this.controlsSource = controls;
        this.credentials = credentials;
    }

    public Event event() {
        return event;
    }

    /** Null when the event's {@code type} is missing or unknown (the type gate stops it). */
    public EventType type() {
        return type;
    }

    public String sqsId() {
        return sqsId;
    }

    /** The destination's parsed settings, parsed once per event; throws as the settings' parser. */
    public S settings() {
        if (settings == null) settings = settingsSource.get();
        return settings;
    }

    /** Consent, the event filter and dropFields of the current settings ({@link DataControls}); throws as {@link #settings}. */
    public DataControls controls() {
        if (controls == null) controls = controlsSource.get();
        return controls;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Keeps what a passing gate holds until the flow is over ({@link #settle}). */
    public void hold(Hold hold) {
        holds.add(hold);
    }

    /** Settles every hold once; the processor calls it after the flow, or after a later gate stopped the event. */
    public void settle(boolean written) {
        for (Hold h : holds) h.settle(written);
        holds.clear();
    }
}
