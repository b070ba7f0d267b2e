package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins D5: what is encoded where, including the characters encoders disagree on. */
class UrlEncodingTest {
    @Test
    void queryValue_encodesPlusAtAndSeparators() {
        assertThat(UrlEncoding.queryValue("ada+test@example.com")).isEqualTo("ada%2Btest%40example.com");
        assertThat(UrlEncoding.queryValue("a&b=c d")).isEqualTo("a%26b%3Dc%20d");
    }

    @Test
    void pathSegment_keepsAtAndColon_encodesSlashAndPlus() {
        assertThat(UrlEncoding.pathSegment("user@123")).isEqualTo("user@123");
        assertThat(UrlEncoding.pathSegment("../admin/x+y")).isEqualTo("..%2Fadmin%2Fx%2By");
        assertThat(UrlEncoding.pathSegment("a?b#c")).isEqualTo("a%3Fb%23c");
        assertThat(UrlEncoding.pathSegment("..")).isEqualTo("%2E%2E");
        assertThat(UrlEncoding.pathSegment(".")).isEqualTo("%2E");
        assertThat(UrlEncoding.pathSegment("a.b")).isEqualTo("a.b");
    }

    @Test
    void unicode_isUtf8PercentEncoded() {
        assertThat(UrlEncoding.pathSegment("zoë")).isEqualTo("zo%C3%AB");
        assertThat(UrlEncoding.queryValue("-._~")).isEqualTo("-._~");
    }
}
