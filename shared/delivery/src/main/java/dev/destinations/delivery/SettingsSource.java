package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The destination settings, RudderStack names, with the secret's fields merged in. Implementations cache; the
 * same instance is returned until the secret changes, so parsed settings can be cached by identity.
 */
public interface SettingsSource {
    /** The merged settings; throws SECRET_UNAVAILABLE or CONFIGURATION failures. */
    JsonNode current();

    /** Bypasses the cache once (after a vendor 401); keeps the previous value if the refresh fails. */
    void refresh();

    /** Settings that never change (SnapStart priming, benchmarks): refreshing does nothing. */
    static SettingsSource fixed(JsonNode settings) {
        return new SettingsSource() {
            @Override
            public JsonNode current() {
                return settings;
            }

            @Override
            public void refresh() {
            }
        };
    }
}
