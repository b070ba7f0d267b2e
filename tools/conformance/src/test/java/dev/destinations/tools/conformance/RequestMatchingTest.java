package dev.destinations.tools.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay rule of the conformance README: URLs compare once percent-decoding is undone on both sides. */
class RequestMatchingTest {
    // what the stub records for a request sent to .../users/team%2F7%2Bjo: the path decoded
    static final RecordedCall SENT = new RecordedCall("GET", "https://acme.user.com/api/public/users/team/7+jo", Map.of(),
            "/api/public/users/team%2F7%2Bjo", "", null);

    @Test
    void anExpectedUrlWrittenEncoded_matchesTheSameRequest() throws Exception {
        JsonNode expected = Json.parse("{\"method\":\"GET\",\"url\":\"https://acme.user.com/api/public/users/team%2F7%2Bjo\",\"query\":{}}");

        assertThat(RequestMatching.differs(expected, SENT)).isNull();
        assertThat(RequestMatching.check("exact", List.of(expected), List.of(SENT))).isNull();
    }

    @Test
    void aMockWrittenEncoded_matchesTheSameRequest() throws Exception {
        JsonNode mock = Json.parse("{\"method\":\"GET\",\"url\":\"https://acme.user.com/api/public/users/team%2F7%2Bjo\"}");

        assertThat(RequestMatching.mockMatches(mock, SENT)).isTrue();
    }

    @Test
    void aPlusInTheExpectedPath_staysAPlus_andAnotherPathStillDiffers() throws Exception {
        JsonNode plus = Json.parse("{\"method\":\"GET\",\"url\":\"https://acme.user.com/api/public/users/team/7+jo\",\"query\":{}}");
        JsonNode other = Json.parse("{\"method\":\"GET\",\"url\":\"https://acme.user.com/api/public/users/team%2F7%20jo\",\"query\":{}}");

        assertThat(RequestMatching.differs(plus, SENT)).isNull();
        assertThat(RequestMatching.differs(other, SENT)).startsWith("URL ");
    }

    @Test
    void malformedPercentEncoding_isComparedAsWritten() {
        assertThat(RequestMatching.decoded("https://x/a%zz")).isEqualTo("https://x/a%zz");
        assertThat(RequestMatching.decoded("https://x/%C3%A9")).isEqualTo("https://x/\u00e9");
    }
}
