package dev.destinations.delivery.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Erasure;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Suppressions;
import dev.destinations.delivery.TestDestination;
import dev.destinations.delivery.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuppressionGateTest {
    final List<String> asked = new ArrayList<>();
    boolean down;

    /** Suppresses u-1; notes every id it is asked about; down = the table cannot be read. */
    final Suppressions store = new Suppressions() {
        @Override public boolean suppressed(String userId) {
            asked.add(userId);
            if (down) throw new Failure(Reason.SUPPRESSION_UNAVAILABLE, "suppression store unavailable (GetItem: ThrottlingException)");
            return Set.of("u-1").contains(userId);
        }
        @Override public void suppress(List<String> userIds) {}
        @Override public void lift(List<String> userIds) {}
        @Override public void receipt(String requestId, List<String> userIds, List<Erasure.Call> calls) {}
    };
    final SuppressionGate<JsonNode> gate = new SuppressionGate<>(new TestDestination(), store);

    @Test
    void anEventOfASuppressedUser_isSkippedAsSuppressed_withoutTheIdInTheDetail() {
        Verdict v = gate.check(Candidates.of("{\"type\":\"track\",\"userId\":\"u-1\"}"));
        assertThat(v.reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(v.detail()).isEqualTo("the event's user was deleted or suppressed at test").doesNotContain("u-1");
    }

    @Test
    void theUserIsTheGenericUserId_traitsAndAnonymousIdIncluded() {
        assertThat(gate.check(Candidates.of("{\"type\":\"identify\",\"traits\":{\"id\":\"u-1\"}}")).reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(gate.check(Candidates.of("{\"type\":\"track\",\"anonymousId\":\"u-1\"}")).reason()).isEqualTo(Reason.SUPPRESSED);
        assertThat(gate.check(Candidates.of("{\"type\":\"track\",\"userId\":\"u-2\",\"anonymousId\":\"u-1\"}")))
                .as("the userId is the user the vendor gets").isNull();
    }

    @Test
    void anEventWithoutAnyId_andErasureMessages_areNotChecked() {
        assertThat(gate.check(Candidates.of("{\"type\":\"track\",\"event\":\"x\"}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"userDeletion\",\"userAttributes\":[{\"userId\":\"u-1\"}]}"))).isNull();
        assertThat(gate.check(Candidates.of("{\"type\":\"unsuppress\",\"userId\":\"u-1\",\"userAttributes\":[{\"userId\":\"u-1\"}]}"))).isNull();
        assertThat(asked).isEmpty();
    }

    @Test
    void aStoreThatCannotAnswer_failsClosed() {
        down = true;
        assertThatThrownBy(() -> gate.check(Candidates.of("{\"type\":\"track\",\"userId\":\"u-3\"}")))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason().disposition()).isEqualTo(Reason.Disposition.RETRY));
    }
}
