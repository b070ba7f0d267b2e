package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.Reason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The receive-count and time rules, in the one place they live (D11, the retry window, the last receive). */
class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(3, 10, Duration.ofHours(24));
    final Instant now = Instant.parse("2026-12-01T12:00:00Z");
    final Verdict notReady = new Verdict(Reason.DEPENDENCY_NOT_READY, "No user found", 404, Duration.ofSeconds(5), 2, 7);

    @Test
    void d11_notFoundIsRetriedWhileYoung_thenPermanentWithTheSameDetail() {
        assertThat(policy.afterReceives(notReady, 2)).isSameAs(notReady);
        Verdict last = policy.afterReceives(notReady, 3);
        assertThat(last.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(last.disposition()).isEqualTo(Reason.Disposition.PARK);
        assertThat(last).isEqualTo(new Verdict(Reason.NOT_FOUND, "No user found", 404, null, 2, 7));
    }

    @Test
    void d11_otherReasonsAreLeftAlone() {
        Verdict down = Verdict.of(Reason.VENDOR_UNAVAILABLE, "down");
        assertThat(policy.afterReceives(down, 9)).isSameAs(down);
    }

    @Test
    void aRetryIsExhausted_onTheLastReceive_orOnceTheWindowIsOver_neverOnAFirstReceive() {
        Verdict down = Verdict.of(Reason.VENDOR_UNAVAILABLE, "down");
        assertThat(policy.exhausted(down, 9, now.minus(Duration.ofHours(23)), now)).isNull();
        assertThat(policy.exhausted(down, 10, null, now)).isEqualTo("gave up after 10 receives: down");
        assertThat(policy.exhausted(down, 4, now.minus(Duration.ofMinutes(24 * 60 + 5)), now)).isEqualTo("gave up after 4 receives in 24 h 5 min: down");
        assertThat(policy.exhausted(down, 1, now.minus(Duration.ofDays(400)), now)).as("a sample file's old timestamp").isNull();
    }

    @Test
    void onlyReasonsOfMessagesNeverStarted_retryImmediately() {
        assertThat(java.util.Arrays.stream(Reason.values()).filter(Reason::retriesImmediately))
                .containsExactlyInAnyOrder(Reason.DEADLINE, Reason.FIFO_GROUP_BLOCKED, Reason.USER_ORDER_BLOCKED);
    }

    /** D38: a message held back by the daily quota was never sent; a backlog of several days' quota parks nothing. */
    @Test
    void aRetryHeldBackByTheDailyQuota_neverEndsTheWindow_onlyTheLastReceiveDoes() {
        Verdict quota = Verdict.of(Reason.DAILY_QUOTA, "not sent: quota spent");
        assertThat(policy.exhausted(quota, 4, now.minus(Duration.ofDays(3)), now)).isNull();
        assertThat(policy.exhausted(quota, 10, now.minus(Duration.ofDays(3)), now)).startsWith("gave up after 10 receives");
    }
}
