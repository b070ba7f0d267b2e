package dev.destinations.lambda;

import dev.destinations.delivery.gate.EventFilter;
import java.time.Duration;
import java.util.Map;

/**
 * The function's environment, read once at cold start. Names and defaults are the README's settings table;
 * template.yaml sets them. Invalid numbers fall back to the default and are reported by {@link #problems()}.
 *
 * @param settingsJson       DESTINATION_SETTINGS: the non-secret settings, RudderStack names, one JSON object
 * @param secretId           API_KEY_SECRET_ID: the Secrets Manager secret with the API key (JSON object or plain key)
 * @param dlqUrl             DLQ_URL: where permanent failures are parked
 * @param maxReceiveCount    MAX_RECEIVE_COUNT: the queue's redrive maxReceiveCount; on that receive a retry is parked
 * @param dependencyRetries  DEPENDENCY_RETRY_RECEIVES: receives a "not found" lookup is retried before it is final (D11)
 * @param concurrency        DELIVERY_CONCURRENCY: users delivered at the same time within one batch
 * @param baseUrlOverride    VENDOR_BASE_URL: replaces the vendor's base URL (tests, proxies); empty for the vendor's own
 * @param retryWindow        RETRY_WINDOW_SECONDS: how long after its first receive a message is still retried; then parked
 * @param circuitFailures    CIRCUIT_FAILURES: vendor failures in a row that open the instance's circuit (0 = never)
 * @param circuitOpenFor     CIRCUIT_OPEN_SECONDS: how long the circuit stays open before one probe call
 * @param vendorRateLimit    VENDOR_RATE_LIMIT: the destination's vendor calls per second, all instances together (0 = unlimited)
 * @param vendorDailyQuota   VENDOR_DAILY_QUOTA: the destination's vendor calls per UTC day, all instances together (0 = none; D38)
 * @param maximumConcurrency MAXIMUM_CONCURRENCY: the event source's MaximumConcurrency; each instance takes 1/N of the limit
 * @param knownIdsMax        LOOKUP_CACHE_MAX_ENTRIES: users/companies/accounts whose ids an instance remembers across batches
 * @param knownIdsTtl        LOOKUP_CACHE_TTL_SECONDS: how long such a fact is believed before it is looked up again
 * @param dedupTable         DEDUP_TABLE: the DynamoDB table of delivered event writes; empty = no deduplication
 * @param dedupClaim         DEDUP_CLAIM_SECONDS: how long an uncompleted claim blocks a key; below the queue's visibility timeout
 * @param dedupWindow        DEDUP_WINDOW_SECONDS: how long a delivered event write is remembered
 * @param archiveBucket      ARCHIVE_BUCKET: the S3 bucket of the event archive (D53); empty = no archive
 * @param suppressionTable   SUPPRESSION_TABLE: the DynamoDB table of suppressed users and deletion receipts; empty = none (D49)
 * @param erasureKeySecretId ERASURE_KEY_SECRET_ID: the secret whose text keys the hash of user ids in that table
 * @param suppressionDays    SUPPRESSION_DAYS: how long a suppression lasts; 0 = until lifted
 * @param receiptDays        DELETION_RECEIPT_DAYS: how long a deletion receipt is kept
 * @param backfillShare      BACKFILL_SHARE: the most of VENDOR_RATE_LIMIT the backfill lane takes while live traffic flows (D58), 0 to 1
 * @param backfillConcurrency BACKFILL_CONCURRENCY: the backfill event source's MaximumConcurrency; each backfill instance takes 1/N of its share
 * @param payloadBucket      PAYLOAD_BUCKET: the one bucket offloaded bodies (S3 pointers) may be read from and deleted in; null = off (D59)
 * @param payloadMaxBytes    PAYLOAD_MAX_BYTES: an offloaded body larger than this is parked naming its size, never fetched
 * @param erasureSecondPass  ERASURE_SECOND_PASS_SECONDS: a deletion made is sent to its queue again this much later, to
 *                           delete what a write already in flight in another instance recreated (D62); 0 = off
 * @param blockedTrackEvents BLOCKED_TRACK_EVENTS: the template's &lt;Destination&gt;BlockedTrackEvents, comma-separated
 *                           track names filtered whatever the settings say (D61); the SNS filter and EventBridge rule drop them too
 */
public record FunctionConfig(
        String settingsJson,
        String secretId,
        String dlqUrl,
        int maxReceiveCount,
        int dependencyRetries,
        int concurrency,
        String baseUrlOverride,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration secretTtl,
        Duration retryBase,
        Duration retryMax,
        Duration deadlineMargin,
        Duration retryWindow,
        int circuitFailures,
        Duration circuitOpenFor,
        int vendorRateLimit,
        int vendorDailyQuota,
        int maximumConcurrency,
        int knownIdsMax,
        Duration knownIdsTtl,
        String dedupTable,
        Duration dedupClaim,
        Duration dedupWindow,
        String archiveBucket,
        String suppressionTable,
        String erasureKeySecretId,
        int suppressionDays,
        int receiptDays,
        Duration erasureSecondPass,
        EventFilter blockedTrackEvents,
        String metricsNamespace,
        double backfillShare,
        int backfillConcurrency,
        String payloadBucket,
        int payloadMaxBytes,
        String problems) {

    public static FunctionConfig from(Map<String, String> env) {
        StringBuilder problems = new StringBuilder();
        Numbers n = new Numbers(env, problems);
        return new FunctionConfig(
                env.getOrDefault("DESTINATION_SETTINGS", "{}"),
                blankToNull(env.get("API_KEY_SECRET_ID")),
                blankToNull(env.get("DLQ_URL")),
                n.get("MAX_RECEIVE_COUNT", 5, 1, 1000),
                n.get("DEPENDENCY_RETRY_RECEIVES", 3, 1, 1000),
                n.get("DELIVERY_CONCURRENCY", 8, 1, 256),
                blankToNull(env.get("VENDOR_BASE_URL")),
                Duration.ofMillis(n.get("HTTP_CONNECT_TIMEOUT_MS", 2000, 100, 60_000)),
                Duration.ofMillis(n.get("HTTP_REQUEST_TIMEOUT_MS", 5000, 100, 120_000)),
                Duration.ofSeconds(n.get("SECRET_TTL_SECONDS", 300, 0, 86_400)),
                Duration.ofSeconds(n.get("RETRY_BASE_SECONDS", 10, 0, 43_200)),
                Duration.ofSeconds(n.get("RETRY_MAX_SECONDS", 900, 0, 43_200)),
                Duration.ofMillis(n.get("DEADLINE_MARGIN_MS", 10_000, 0, 900_000)),
                Duration.ofSeconds(n.get("RETRY_WINDOW_SECONDS", 86_400, 1, 1_209_600)),
                n.get("CIRCUIT_FAILURES", 5, 0, 1000),
                Duration.ofSeconds(n.get("CIRCUIT_OPEN_SECONDS", 30, 1, 3600)),
                n.get("VENDOR_RATE_LIMIT", 0, 0, 1_000_000),
                n.get("VENDOR_DAILY_QUOTA", 0, 0, 1_000_000_000),
                n.get("MAXIMUM_CONCURRENCY", 1, 1, 1000),
                n.get("LOOKUP_CACHE_MAX_ENTRIES", 10_000, 0, 1_000_000),
                Duration.ofSeconds(n.get("LOOKUP_CACHE_TTL_SECONDS", 600, 0, 86_400)),
                blankToNull(env.get("DEDUP_TABLE")),
                Duration.ofSeconds(n.get("DEDUP_CLAIM_SECONDS", 60, 1, 43_200)),
                Duration.ofSeconds(n.get("DEDUP_WINDOW_SECONDS", 86_400, 60, 1_209_600)),
                bucket(env.get("ARCHIVE_BUCKET"), problems),
                blankToNull(env.get("SUPPRESSION_TABLE")),
                blankToNull(env.get("ERASURE_KEY_SECRET_ID")),
                n.get("SUPPRESSION_DAYS", 0, 0, 36_500),
                n.get("DELETION_RECEIPT_DAYS", 400, 1, 36_500),
                Duration.ofSeconds(n.get("ERASURE_SECOND_PASS_SECONDS", 60, 0, QueueActions.MAX_DELAY_SECONDS)),
                blockedTrackEvents(env.get("BLOCKED_TRACK_EVENTS"), problems),
                env.getOrDefault("METRICS_NAMESPACE", "CsDestinations"),
                n.fraction("BACKFILL_SHARE", 0.5),
                n.get("BACKFILL_CONCURRENCY", 2, 1, 1000),
                blankToNull(env.get("PAYLOAD_BUCKET")),
                n.get("PAYLOAD_MAX_BYTES", 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
                problems.toString());
    }

    /** S3's bucket naming rules (3-63 lower-case letters, digits, dots, hyphens); anything else is reported and means no archive. */
    private static String bucket(String raw, StringBuilder problems) {
        String name = blankToNull(raw);
        if (name == null || name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) return name;
        problems.append("ARCHIVE_BUCKET must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens); the archive is off. ");
        return null;
    }

    /**
     * The names are used as given (trimmed), so the function filters them on every route; a name the template could
     * not have written (a quote, a backslash or a control character: its AllowedPattern refuses them, they would
     * break the SNS filter policy it builds) is reported, since the template's filter then differs from this one.
     */
    private static EventFilter blockedTrackEvents(String raw, StringBuilder problems) {
        EventFilter filter = EventFilter.blockedTrackEvents(raw);
        for (String name : filter.names()) {
            if (name.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isISOControl(c))) {
                problems.append("BLOCKED_TRACK_EVENTS has a name with a quote, backslash or control character, which the template's")
                        .append(" filter cannot hold; the function still filters it. ");
                break;
            }
        }
        return filter;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private record Numbers(Map<String, String> env, StringBuilder problems) {
        int get(String name, int fallback, int min, int max) {
            String raw = env.get(name);
            if (raw == null || raw.isBlank()) return fallback;
            try {
                int v = Integer.parseInt(raw.strip());
                if (v >= min && v <= max) return v;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.append(name).append(" must be a whole number from ").append(min).append(" to ").append(max)
                    .append("; using ").append(fallback).append(". ");
            return fallback;
        }

        double fraction(String name, double fallback) {
            String raw = env.get(name);
            if (raw == null || raw.isBlank()) return fallback;
            try {
                double v = Double.parseDouble(raw.strip());
                if (v >= 0 && v <= 1) return v;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.append(name).append(" must be a fraction from 0 to 1; using ").append(fallback).append(". ");
            return fallback;
        }
    }
}
