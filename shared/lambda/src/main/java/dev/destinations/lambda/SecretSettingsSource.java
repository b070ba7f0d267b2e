package dev.destinations.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.SettingsSource;
import dev.destinations.mapping.Json;
import java.time.Duration;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Settings = DESTINATION_SETTINGS with the secret merged on top. The secret is a JSON object (its fields win) or a
 * plain string (the {@code apiKey}). The API key is kept apart from the settings: the secret's {@code apiKey}
 * field, else the plain string, else DESTINATION_SETTINGS's {@code apiKey}. It is fetched on first use, not at init (a SnapStart snapshot must not hold
 * it), cached for a TTL, refreshed once after a vendor 401 (D15), and a failed refresh keeps the last good value.
 */
public final class SecretSettingsSource implements SettingsSource {
    private final ObjectNode base;
    private final String baseProblem;
    private final String secretId;
    private final SecretsManagerClient secrets;
    private final long ttlNanos;
    private final LongSupplier clock;
    private volatile Cached cached;

    private record Cached(JsonNode merged, String apiKey, long fetchedAt) {}

    public SecretSettingsSource(String settingsJson, String secretId, SecretsManagerClient secrets, Duration ttl, LongSupplier nanoClock) {
        ObjectNode parsed = null;
        String problem = null;
        try {
            JsonNode node = Json.parse(settingsJson);
            if (node != null && node.isObject()) parsed = (ObjectNode) node;
            else problem = "DESTINATION_SETTINGS must be a JSON object";
        } catch (java.io.IOException e) {
            problem = "DESTINATION_SETTINGS is not valid JSON";
        }
        this.base = parsed == null ? Json.object() : parsed;
        this.baseProblem = problem;
        this.secretId = secretId;
        this.secrets = secrets;
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
    }

    /** The settings without the secret, for validation at cold start; null when DESTINATION_SETTINGS is unusable. */
    public JsonNode baseSettings() {
        return baseProblem == null ? base : null;
    }

    /** Why DESTINATION_SETTINGS is unusable, or null. */
    public String baseProblem() {
        return baseProblem;
    }

    @Override
    public JsonNode current() {
        return fresh().merged();
    }

    @Override
    public String apiKey() {
        return fresh().apiKey();
    }

    private Cached fresh() {
        if (baseProblem != null) throw new Failure(Reason.CONFIGURATION, baseProblem);
        Cached c = cached;
        if (isFresh(c)) return c;
        return fetch(c, false);
    }

    private boolean isFresh(Cached c) {
        return c != null && clock.getAsLong() - c.fetchedAt() < ttlNanos;
    }

    /** True when the next {@link #apiKey} would read the secret (none cached, or past its TTL). */
    boolean needsRead() {
        return baseProblem == null && secretId != null && !isFresh(cached);
    }

    /**
     * Reads the secret now if the next event would (D66: a batch whose first event makes other calls first, the
     * suppression check, runs this beside them). A failure is not reported here: the event that needs the key reads
     * again and reports it.
     */
    void readAhead() {
        if (!needsRead()) return;
        try {
            fresh();
        } catch (RuntimeException leftToTheEvent) {
            // the event's own read classifies it
        }
    }

    /** Forgets the cached secret (after a SnapStart restore: a snapshot must not serve a stale key). */
    public void invalidate() {
        cached = null;
    }

    @Override
    public void refresh() {
        if (baseProblem != null) return;
        try {
            fetch(null, true);
        } catch (Failure keepTheLastGoodValue) {
            // the next current() still answers from the cache
        }
    }

    /** @param force read even when another thread has read since {@code seen} (a refresh after a 401) */
    private synchronized Cached fetch(Cached seen, boolean force) {
        Cached c = cached;
        if (!force && c != seen && c != null) return c; // another thread read it meanwhile (the first read included)
        try {
            Cached fetched = merge(secretId == null ? null : secrets.getSecretValue(b -> b.secretId(secretId)).secretString());
            cached = fetched;
            return fetched;
        } catch (ResourceNotFoundException e) {
            return stale(c, "the API key secret was not found (API_KEY_SECRET_ID)");
        } catch (SdkException e) {
            return stale(c, "Secrets Manager could not be read: " + e.getClass().getSimpleName());
        }
    }

    private Cached stale(Cached c, String why) {
        if (c != null) return c;
        throw new Failure(Reason.SECRET_UNAVAILABLE, why);
    }

    /** The settings with the secret's fields on top, and the key apart: the secret's, else the settings' own. */
    private Cached merge(String secret) {
        ObjectNode merged = base.deepCopy();
        JsonNode key = merged.remove("apiKey");
        String s = secret == null ? "" : secret.strip();
        if (s.startsWith("{")) {
            ObjectNode obj = null;
            try {
                if (Json.parse(s) instanceof ObjectNode o) obj = o;
            } catch (java.io.IOException e) {
                // below: the message names no part of the value
            }
            if (obj == null) throw new Failure(Reason.CONFIGURATION, "the API key secret starts with '{' but is not a JSON object");
            if (obj.has("apiKey")) key = obj.remove("apiKey");
            merged.setAll(obj);
        } else if (!s.isEmpty()) {
            key = Json.NODES.textNode(s);
        }
        String apiKey = key != null && key.isTextual() && !key.textValue().isBlank() ? key.textValue() : null;
        return new Cached(merged, apiKey, clock.getAsLong());
    }
}
