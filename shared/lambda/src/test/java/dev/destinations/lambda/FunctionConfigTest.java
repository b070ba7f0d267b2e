package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment variables of the README's function environment table that bound the lookup cache. */
class FunctionConfigTest {
    @Test
    void lookupCache_defaultsTo10000EntriesFor10Minutes() {
        FunctionConfig c = FunctionConfig.from(Map.of());
        assertThat(c.knownIdsMax()).isEqualTo(10_000);
        assertThat(c.knownIdsTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void lookupCache_isSetByEnvironment_andAnInvalidValueFallsBackWithAProblem() {
        FunctionConfig c = FunctionConfig.from(Map.of("LOOKUP_CACHE_MAX_ENTRIES", "0", "LOOKUP_CACHE_TTL_SECONDS", "-5"));
        assertThat(c.knownIdsMax()).isZero();
        assertThat(c.knownIdsTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.problems()).contains("LOOKUP_CACHE_TTL_SECONDS must be a whole number from 0 to 86400");
    }

    @Test
    void archiveBucket_isOffWhenEmpty_andANameS3WouldRefuseIsAProblemAndOff() {
        assertThat(FunctionConfig.from(Map.of()).archiveBucket()).isNull();
        assertThat(FunctionConfig.from(Map.of("ARCHIVE_BUCKET", " cs-archive-1 ")).archiveBucket()).isEqualTo("cs-archive-1");
        FunctionConfig bad = FunctionConfig.from(Map.of("ARCHIVE_BUCKET", "Not_A_Bucket"));
        assertThat(bad.archiveBucket()).isNull();
        assertThat(bad.problems()).contains("ARCHIVE_BUCKET must be an S3 bucket name").contains("the archive is off");
    }

    @Test
    void vendorDailyQuota_emptyIsNone_aNumberIsTheQuota_anythingElseIsAProblem() {
        assertThat(FunctionConfig.from(Map.of()).vendorDailyQuota()).isZero();
        assertThat(FunctionConfig.from(Map.of("VENDOR_DAILY_QUOTA", "")).vendorDailyQuota()).isZero();
        assertThat(FunctionConfig.from(Map.of("VENDOR_DAILY_QUOTA", "1000000")).vendorDailyQuota()).isEqualTo(1_000_000);
        FunctionConfig bad = FunctionConfig.from(Map.of("VENDOR_DAILY_QUOTA", "1e6"));
        assertThat(bad.vendorDailyQuota()).isZero();
        assertThat(bad.problems()).contains("VENDOR_DAILY_QUOTA must be a whole number from 0 to 1000000000");
    }

    @Test
    void blockedTrackEvents_areTheTemplatesCommaSeparatedNames_andOneTheTemplateCannotHoldIsAProblem() {
        assertThat(FunctionConfig.from(Map.of()).blockedTrackEvents().names()).isEmpty();
        FunctionConfig c = FunctionConfig.from(Map.of("BLOCKED_TRACK_EVENTS", "Page Scrolled,Order Completed"));
        assertThat(c.blockedTrackEvents().names()).containsExactlyInAnyOrder("Page Scrolled", "Order Completed");
        assertThat(c.problems()).isEmpty();
        FunctionConfig quoted = FunctionConfig.from(Map.of("BLOCKED_TRACK_EVENTS", "Say \"hi\""));
        assertThat(quoted.blockedTrackEvents().names()).as("still filtered by the function").containsExactly("Say \"hi\"");
        assertThat(quoted.problems()).contains("BLOCKED_TRACK_EVENTS has a name with a quote, backslash or control character");
    }
}
