package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
    static final long SECOND = 1_000_000_000L;
    final AtomicLong now = new AtomicLong(5 * SECOND);

    @Test
    void tenPerSecond_allowsOneSecondOfBurst_thenSpacesCallsATenthApart() {
        RateBudget budget = new RateBudget(10, now::get);

        long[] waits = new long[14];
        for (int i = 0; i < waits.length; i++) waits[i] = budget.reserve(Long.MAX_VALUE);

        for (int i = 0; i < 10; i++) assertThat(waits[i]).as("call %d", i).isZero(); // the burst
        assertThat(waits[10]).isEqualTo(SECOND / 10);
        assertThat(waits[13]).isEqualTo(4 * SECOND / 10);
    }

    @Test
    void overTime_theRateHolds() {
        RateBudget budget = new RateBudget(10, now::get);
        int sent = 0;
        for (long t = 0; t < 60 * SECOND; t += SECOND / 100) { // a caller trying every 10 ms for a minute
            now.set(5 * SECOND + t);
            try {
                budget.reserve(now.get()); // a deadline of now: only a call free at once goes
                sent++;
            } catch (Failure notNow) {
                // wait for the next try
            }
        }
        assertThat(sent).isBetween(600, 610); // 10 a second, plus the first second's burst
    }

    @Test
    void aTurnAfterTheDeadline_isNotTaken_andSaysWhenToComeBack() {
        RateBudget budget = new RateBudget(1, now::get);
        budget.reserve(Long.MAX_VALUE); // the one free call

        assertThatThrownBy(() -> budget.reserve(now.get() + SECOND / 2)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(f.retryAfter().toMillis()).isEqualTo(1000);
        });
        assertThat(budget.reserve(now.get() + 2 * SECOND)).as("the refused call took no turn").isEqualTo(SECOND);
    }

    @Test
    void share_splitsTheLimitAcrossTheEventSourcesInstances() {
        RateBudget share = RateBudget.share(200, 5); // Gainsight PX's 200/s over MaximumConcurrency 5: 40/s each
        assertThat(share.limited()).isTrue();
        assertThat(RateBudget.share(0, 5).limited()).isFalse();
        assertThat(RateBudget.unlimited().reserve(0)).isZero();
    }
}
