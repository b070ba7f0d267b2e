package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final Circuit circuit = new Circuit(3, Duration.ofSeconds(30), now::get);

    @Test
    void opensOnTheThirdFailureInARow_andThenSendsNothing() {
        for (int i = 0; i < 2; i++) {
            circuit.admit();
            circuit.failed();
        }
        circuit.admit(); // two failures: still closed
        circuit.failed();

        assertThat(circuit.state()).isEqualTo(Circuit.State.OPEN);
        assertThatThrownBy(circuit::admit).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.CIRCUIT_OPEN);
            assertThat(f.getMessage()).contains("failed 3 times in a row").contains("next probe in 30000 ms");
        });
    }

    @Test
    void anAnswerBetweenFailures_resetsTheCount() {
        circuit.failed();
        circuit.failed();
        circuit.succeeded();
        circuit.failed();
        circuit.failed();

        assertThat(circuit.state()).isEqualTo(Circuit.State.CLOSED);
        circuit.admit();
    }

    @Test
    void afterOpenFor_oneProbeGoesOut_othersWait_andItsAnswerCloses() {
        open();
        now.addAndGet(Duration.ofSeconds(30).toNanos());

        circuit.admit(); // the probe
        assertThat(circuit.state()).isEqualTo(Circuit.State.HALF_OPEN);
        assertThatThrownBy(circuit::admit).hasMessageContaining("a probe call is under way");
        circuit.succeeded();

        assertThat(circuit.state()).isEqualTo(Circuit.State.CLOSED);
        circuit.admit();
    }

    @Test
    void aFailedProbe_opensItForAnotherPeriod() {
        open();
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        circuit.admit();
        circuit.failed();

        assertThat(circuit.state()).isEqualTo(Circuit.State.OPEN);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThatThrownBy(circuit::admit).isInstanceOf(Failure.class);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        circuit.admit();
    }

    @Test
    void anAbandonedProbe_letsTheNextCallProbe() {
        open();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        circuit.admit();
        circuit.abandoned(); // e.g. its rate budget said no

        circuit.admit();
        assertThat(circuit.state()).isEqualTo(Circuit.State.HALF_OPEN);
    }

    @Test
    void never_neverOpens() {
        Circuit never = Circuit.never();
        for (int i = 0; i < 10_000; i++) never.failed();

        never.admit();
        assertThat(never.state()).isEqualTo(Circuit.State.CLOSED);
    }

    private void open() {
        for (int i = 0; i < 3; i++) circuit.failed();
    }
}
