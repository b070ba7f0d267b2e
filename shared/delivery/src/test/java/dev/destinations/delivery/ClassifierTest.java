package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {
    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"400,VENDOR_REJECTED", "401,AUTH", "403,AUTH", "404,VENDOR_REJECTED", "408,VENDOR_UNAVAILABLE",
            "409,VENDOR_REJECTED", "422,VENDOR_REJECTED", "429,RATE_LIMITED", "500,VENDOR_UNAVAILABLE",
            "501,VENDOR_REJECTED", "502,VENDOR_UNAVAILABLE", "503,VENDOR_UNAVAILABLE", "504,VENDOR_UNAVAILABLE",
            "301,VENDOR_REJECTED", "302,VENDOR_REJECTED"})
    void reasonFor_followsD2(int status, Reason reason) {
        assertThat(Classifier.reasonFor(status)).isEqualTo(reason);
    }

    @Test
    void failure_carriesMessageStatusExcerptAndRetryAfter() {
        Failure f = Classifier.failure(new VendorResponse(429, "30", "{\n \"error\": \"slow down\"\n}"), "[Group]: failed");
        assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(f.vendorStatus()).isEqualTo(429);
        assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(f.getMessage()).isEqualTo("[Group]: failed (HTTP 429: { \"error\": \"slow down\" })");
    }

    @Test
    void failure_longBody_isCutToAnExcerpt() {
        Failure f = Classifier.failure(new VendorResponse(500, null, "x".repeat(5000)), "m");
        assertThat(f.getMessage()).hasSizeLessThan(260).endsWith("...)");
    }

    @Test
    void retryAfter_acceptsSecondsAndHttpDates_ignoresGarbage() {
        assertThat(new VendorResponse(503, "120", "").retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(new VendorResponse(503, "soon", "").retryAfter()).isNull();
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(61));
        assertThat(new VendorResponse(503, inAMinute, "").retryAfter()).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(62));
    }
}
