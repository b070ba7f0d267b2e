package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** D38: the daily quota paces a backlog over the rest of the UTC day and never sends a call past it. One clock drives both the wall time and the rate budget's nanoseconds. */
class DailyQuotaTest {
    static final long SECOND = 1_000_000_000L;
    /** The wall clock, in milliseconds since the epoch: 18:00 UTC, six hours before the next quota day. */
    final AtomicLong wallMillis = new AtomicLong(Instant.parse("2026-12-06T18:00:00Z").toEpochMilli());

    long nanos() {
        return wallMillis.get() * 1_000_000L;
    }

    RateBudget budget(double perSecond, long share) {
        return new RateBudget(perSecond, new DailyQuota(share, wallMillis::get, DailyQuota.DAY), this::nanos);
    }

    /** A backlog that calls as fast as the budget lets it, for {@code seconds} of clock; returns the calls sent. */
    int drain(RateBudget budget, long seconds) {
        int sent = 0;
        long end = wallMillis.get() + seconds * 1000;
        while (wallMillis.get() < end) {
            try {
                long wait = budget.reserve(nanos()); // a deadline of now: only a call free at once goes
                assertThat(wait).isZero();
                sent++;
            } catch (Failure notNow) {
                wallMillis.addAndGet(10);
            }
        }
        return sent;
    }

    @Test
    void aBacklog_isPacedSoThatTheShareLastsTheRestOfTheDay_notSpentAtTheRateLimit() {
        // 21,600 calls for the six hours left: one a second, where the rate limit alone would allow 40
        RateBudget budget = budget(40, 21_600);
        int firstHour = drain(budget, 3600);
        assertThat(firstHour).as("the first hour's calls").isBetween(3600, 3700); // one a second, plus the first second's burst
        int rest = drain(budget, 5 * 3600 - 1);
        assertThat(firstHour + rest).as("the whole evening").isBetween(21_500, 21_600);
    }

    @Test
    void aQuietMorning_leavesMoreForTheAfternoon_theRateLimitStillCaps() {
        // 23:00, an hour left, 3,600 calls left: the pace is one a second
        wallMillis.set(Instant.parse("2026-12-06T23:00:00Z").toEpochMilli());
        assertThat(drain(budget(100, 3_600), 60)).isBetween(60, 62);
        // 23:59:00 with the whole share of 3,600 left: the pace would allow 60 a second, the rate limit caps it at 10
        wallMillis.set(Instant.parse("2026-12-06T23:59:00Z").toEpochMilli());
        assertThat(drain(budget(10, 3_600), 10)).isBetween(100, 110);
    }

    @Test
    void aCallPastTheShare_isNotSent_andIsRetriedAtTheNextUtcDay() {
        RateBudget budget = budget(0, 3);
        for (int i = 0; i < 3; i++) budget.reserve(Long.MAX_VALUE);

        assertThatThrownBy(() -> budget.reserve(Long.MAX_VALUE)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.DAILY_QUOTA);
            assertThat(f.reason().disposition()).isEqualTo(Reason.Disposition.RETRY);
            assertThat(f.retryAfter()).as("until 00:00 UTC").isEqualTo(Duration.ofHours(6));
            assertThat(f.getMessage()).contains("daily quota (3 calls) is spent");
        });

        wallMillis.set(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli()); // the next quota day
        assertThat(budget.reserve(Long.MAX_VALUE)).as("a new day's share").isGreaterThanOrEqualTo(0);
    }

    @Test
    void aPacedTurnAfterTheDeadline_isNotSent_takesNothingFromTheShare_andSaysWhenToComeBack() {
        // 4 calls for the six hours left: one every 1.5 h
        DailyQuota quota = new DailyQuota(4, wallMillis::get, DailyQuota.DAY);
        RateBudget budget = new RateBudget(0, quota, this::nanos);
        budget.reserve(Long.MAX_VALUE);
        budget.reserve(Long.MAX_VALUE); // the second of burst
        assertThat(quota.usedToday()).isEqualTo(2);

        assertThatThrownBy(() -> budget.reserve(nanos() + SECOND)).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.DAILY_QUOTA);
            assertThat(f.getMessage()).contains("paced by this instance's share of the vendor's daily quota");
            assertThat(f.retryAfter()).isGreaterThan(Duration.ofHours(1));
        });
        assertThat(quota.usedToday()).as("the call not sent is given back").isEqualTo(2);
    }

    @Test
    void share_splitsTheQuotaOverTheInstances_andNoQuotaIsUnlimited() {
        assertThat(DailyQuota.share(1_000_000, 5, DailyQuota.DAY).share()).isEqualTo(200_000);
        assertThat(DailyQuota.share(3, 5, DailyQuota.DAY).share()).as("at least one call").isEqualTo(1);
        assertThat(DailyQuota.share(0, 5, DailyQuota.DAY).limited()).isFalse();
        assertThat(RateBudget.share(0, DailyQuota.share(0, 5, DailyQuota.DAY), 5).limited()).isFalse();
        assertThat(RateBudget.share(0, DailyQuota.share(10, 5, DailyQuota.DAY), 5).limited()).isTrue();
    }
}
