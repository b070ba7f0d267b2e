package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.TestDestination;
import dev.destinations.delivery.Verdict;
import org.junit.jupiter.api.Test;

class IntegrationsGateTest {
    final IntegrationsGate<com.fasterxml.jackson.databind.JsonNode> gate = new IntegrationsGate<>(new TestDestination());

    @Test
    void switchedOffByName_isSkippedAsDisabled() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"track\",\"integrations\":{\"Test\":false}}"));
        assertThat(v.reason()).isEqualTo(Reason.DISABLED);
        assertThat(v.disposition()).isEqualTo(Reason.Disposition.SKIP);
        assertThat(v.detail()).isEqualTo("the event's integrations object disables test");
    }

    @Test
    void allOff_butThisDestinationOn_passes_D13() {
        assertThat(gate.check(Candidates.of("{\"type\":\"track\",\"integrations\":{\"All\":false,\"Test\":true}}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"track\",\"integrations\":{\"All\":false}}")).reason()).isEqualTo(Reason.DISABLED);
        assertThat(gate.check(Candidates.of("{\"type\":\"track\"}"))).isNull();
    }
}
