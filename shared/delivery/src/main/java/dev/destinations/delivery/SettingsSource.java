package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The destination settings, RudderStack names, with the secret's fields merged in, and the API key, kept apart
 * from them. Implementations cache; the same settings instance is returned until the secret changes, so parsed
 * settings can be cached by identity.
 */
public interface SettingsSource {
    /** The merged settings, without the API key; throws SECRET_UNAVAILABLE or CONFIGURATION failures. */
    JsonNode current();

    /** The API key, or null when there is none (or it is not a non-blank string); throws as {@link #current()}. */
    String apiKey();

    /** Bypasses the cache once (after a vendor 401); keeps the previous value if the refresh fails. */
    void refresh();

    /** Settings and a key that never change (SnapStart priming, benchmarks, tests): refreshing does nothing. */
    static SettingsSource fixed(JsonNode settings, String apiKey) {
        return new SettingsSource() {
            @Override
            public JsonNode current() {
                return settings;
            }

            @Override
            public String apiKey() {
                return apiKey;
            }

            @Override
            public void refresh() {
            }
        };
    }
}
