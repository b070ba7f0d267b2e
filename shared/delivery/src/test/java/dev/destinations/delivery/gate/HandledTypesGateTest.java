package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.TestDestination;
import dev.destinations.delivery.Verdict;
import org.junit.jupiter.api.Test;

class HandledTypesGateTest {
    final HandledTypesGate<com.fasterxml.jackson.databind.JsonNode> gate = new HandledTypesGate<>(new TestDestination());

    @Test
    void aTypeTheDestinationDoesNotDeliver_isSkippedAsNotHandled_D12() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"page\"}"));
        assertThat(v.reason()).isEqualTo(Reason.NOT_HANDLED);
        assertThat(v.detail()).isEqualTo("test does not handle page events");
    }

    @Test
    void theErasureMessages_everyDestinationTakes_evenOneThatDeletesNothingAtItsVendor() {
        assertThat(gate.check(Candidates.of("{\"type\":\"suppress\",\"userAttributes\":[]}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"unsuppress\",\"userAttributes\":[]}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"userDeletion\",\"userAttributes\":[]}")))
                .as("D64: TestDestination does not handle userDeletion, yet takes it (its users are suppressed)").isNull();
    }

    @Test
    void aHandledType_passes() {
        assertThat(gate.check(Candidates.of("{\"type\":\"identify\"}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"track\"}"))).isNull();
    }
}
