package dev.destinations.delivery.gate;

import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Verdict;

/**
 * The settings parse (the destination's own keys and its {@link DataControls}) and the API key is there (D8: no key, no call): otherwise the event is retried as {@code
 * configuration} (or {@code secret_unavailable}), so fixing the settings releases the backlog. The gates after this
 * one read the parsed settings.
 */
public final class SettingsGate<S> implements Gate<S> {
    @Override
    public Verdict check(Candidate<S> c) {
        try {
            c.settings();
            c.controls();
            c.credentials().apiKey();
            return PASS;
        } catch (Failure f) {
            return Verdict.of(f, 0, 0);
        }
    }
}
