package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import dev.destinations.mapping.Json;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SettingsGateTest {
    final SettingsGate<JsonNode> gate = new SettingsGate<>();

    @Test
    void invalidSettings_areRetriedAsConfiguration_withTheParsersMessage() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"track\"}", () -> {
            throw new Failure(Reason.CONFIGURATION, "broken must be false");
        }, "key"));
        assertThat(v.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(v.disposition()).isEqualTo(Reason.Disposition.RETRY);
        assertThat(v.detail()).isEqualTo("broken must be false");
    }

    @Test
    void anUnreadableSecret_keepsItsOwnReason() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"track\"}", () -> {
            throw new Failure(Reason.SECRET_UNAVAILABLE, "Secrets Manager could not be read");
        }, "key"));
        assertThat(v.reason()).isEqualTo(Reason.SECRET_UNAVAILABLE);
    }

    @Test
    void noApiKey_isConfiguration_D8() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"track\"}", Json::object, null));
        assertThat(v.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(v.detail()).isEqualTo("apiKey is missing");
    }

    @Test
    void goodSettings_pass_andAreParsedOncePerEvent() {
        AtomicInteger parses = new AtomicInteger();
        Candidate<JsonNode> c = Candidates.of("{\"type\":\"track\"}", () -> {
            parses.incrementAndGet();
            return Json.object().put("a", 1);
        }, "key");
        assertThat(gate.check(c)).isNull();
        assertThat(c.settings().path("a").asInt()).isEqualTo(1);
        assertThat(parses).hasValue(1);
    }
}
