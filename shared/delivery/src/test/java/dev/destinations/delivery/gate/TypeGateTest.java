package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Reason;
import dev.destinations.delivery.TestDestination;
import dev.destinations.delivery.Verdict;
import org.junit.jupiter.api.Test;

class TypeGateTest {
    final TypeGate<com.fasterxml.jackson.databind.JsonNode> gate = new TypeGate<>(new TestDestination());

    @Test
    void aMissingType_isInvalid_withTheReferencesMessage() {
        Verdict v = gate.check(Candidates.of("{\"userId\":\"u\"}"));
        assertThat(v.reason()).isEqualTo(Reason.INVALID_EVENT);
        assertThat(v.detail()).isEqualTo("Type missing");
    }

    @Test
    void anUnknownType_isInvalid_namedInLowerCase() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"Shout\"}"));
        assertThat(v.reason()).isEqualTo(Reason.INVALID_EVENT);
        assertThat(v.detail()).isEqualTo("Type shout unknown");
    }

    @Test
    void aKnownType_passes_inAnyCase() {
        assertThat(gate.check(Candidates.of("{\"type\":\"TRACK\"}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"page\"}"))).isNull(); // handled or not is the next gates' question
    }
}
