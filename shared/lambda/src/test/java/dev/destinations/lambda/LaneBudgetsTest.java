package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.Failure;
import dev.destinations.delivery.RateBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** D58 with a fake clock: live keeps the whole limit, the backfill lane gets its share, and the whole limit while live is idle. */
class LaneBudgetsTest {
    static final long SECOND = 1_000_000_000L;
    static final String BACKFILL_ARN = "arn:aws:sqs:us-east-1:123456789012:stack-custify-backfill";
    final AtomicLong now = new AtomicLong(7 * SECOND);
    final AtomicBoolean liveIdle = new AtomicBoolean(false);
    final List<String> asked = new ArrayList<>();

    LaneBudgets budgets(String share) {
        FunctionConfig config = FunctionConfig.from(Map.of("VENDOR_RATE_LIMIT", "100", "MAXIMUM_CONCURRENCY", "5",
                "BACKFILL_SHARE", share, "BACKFILL_CONCURRENCY", "2"));
        return new LaneBudgets(config, arn -> {
            asked.add(arn);
            return liveIdle.get();
        }, dev.destinations.delivery.DailyQuota.DAY, now::get);
    }

    /** Calls the budget lets through in {@code seconds}, a caller trying every 10 ms and never waiting. */
    int callsIn(RateBudget budget, int seconds) {
        int sent = 0;
        long start = now.get();
        for (long t = 0; t < seconds * SECOND; t += SECOND / 100) {
            now.set(start + t);
            try {
                budget.acquire(now.get());
                sent++;
            } catch (Failure notNow) {
                // the next try
            }
        }
        return sent;
    }

    @Test
    void whileLiveTrafficFlows_eachBackfillInstanceTakesItsShareOfTheLimit_andLiveKeepsItsWholeShare() {
        LaneBudgets lanes = budgets("0.5");
        lanes.refresh(BACKFILL_ARN);

        // 100/s: live 100/5 = 20/s per instance; backfill 0.5 x 100 / 2 = 25/s per instance (plus one second of burst)
        assertThat(callsIn(lanes.backfill(), 20)).isBetween(20 * 25, 20 * 25 + 26);
        assertThat(callsIn(lanes.live(), 20)).isBetween(20 * 20, 20 * 20 + 21);
        assertThat(asked).containsExactly("arn:aws:sqs:us-east-1:123456789012:stack-custify");
    }

    @Test
    void liveCallsNeverWaitBehindTheBackfill() {
        LaneBudgets lanes = budgets("1");
        lanes.refresh(BACKFILL_ARN);
        callsIn(lanes.backfill(), 3); // the backfill spends all it may

        org.assertj.core.api.Assertions.assertThatCode(() -> lanes.live().acquire(now.get())).doesNotThrowAnyException(); // free at once
    }

    @Test
    void whenTheLiveQueueHasBeenEmptyForAMinute_theBackfillTakesTheWholeLimit_andGivesItBackOnTheNextLookAfterLiveReturns() {
        LaneBudgets lanes = budgets("0.5");
        liveIdle.set(true);
        lanes.refresh(BACKFILL_ARN);
        assertThat(lanes.liveIdle()).as("empty at one look: maybe a stream between messages").isFalse();
        assertThat(callsIn(lanes.backfill(), 30)).isBetween(30 * 25, 30 * 25 + 26); // still the share, refreshed below
        for (int i = 0; i < 7; i++) {
            lanes.refresh(BACKFILL_ARN);
            now.addAndGet(5 * SECOND);
        }
        lanes.refresh(BACKFILL_ARN);
        assertThat(lanes.liveIdle()).as("empty at every look for a minute").isTrue();
        assertThat(callsIn(lanes.backfill(), 4)).isBetween(4 * 50 - 1, 4 * 50 + 51); // 100 / 2 instances

        liveIdle.set(false);
        lanes.refresh(BACKFILL_ARN); // 4 s later: not asked yet
        assertThat(lanes.liveIdle()).isTrue();
        now.addAndGet(2 * SECOND);
        lanes.refresh(BACKFILL_ARN);
        assertThat(lanes.liveIdle()).as("live is back: the next look gives the limit back").isFalse();
        int before = asked.size();
        lanes.refresh(BACKFILL_ARN); // within RECHECK: not asked
        assertThat(asked).hasSize(before);
        now.addAndGet(2 * SECOND); // the boosted burst is spent
        assertThat(callsIn(lanes.backfill(), 20)).isBetween(20 * 25, 20 * 25 + 51);

        liveIdle.set(true); // one empty look after traffic starts the minute again
        now.addAndGet(5 * SECOND);
        lanes.refresh(BACKFILL_ARN);
        assertThat(lanes.liveIdle()).isFalse();
    }

    @Test
    void anUnanswerableQueueCountsAsBusy_andAShareOfZeroStillCreeps() {
        FunctionConfig config = FunctionConfig.from(Map.of("VENDOR_RATE_LIMIT", "100", "MAXIMUM_CONCURRENCY", "5", "BACKFILL_SHARE", "0"));
        LaneBudgets lanes = new LaneBudgets(config, arn -> {
            throw new IllegalStateException("SQS unavailable");
        }, dev.destinations.delivery.DailyQuota.DAY, now::get);
        lanes.refresh(BACKFILL_ARN);

        assertThat(lanes.liveIdle()).isFalse();
        assertThat(lanes.backfill().limited()).isTrue();
        assertThat(callsIn(lanes.backfill(), 120)).isBetween(2, 4); // one a minute, not unlimited
    }

    @Test
    void theLaneIsNamedByTheQueue() {
        assertThat(Lane.of(BACKFILL_ARN)).isEqualTo(Lane.BACKFILL);
        assertThat(Lane.of("arn:aws:sqs:us-east-1:123456789012:stack-custify-backfill.fifo")).isEqualTo(Lane.BACKFILL);
        assertThat(Lane.of("arn:aws:sqs:us-east-1:123456789012:stack-custify")).isEqualTo(Lane.LIVE);
        assertThat(Lane.of("arn:aws:sqs:us-east-1:123456789012:backfill-custify")).isEqualTo(Lane.LIVE);
        assertThat(Lane.of(null)).isEqualTo(Lane.LIVE);
        assertThat(Lane.liveQueueArn("arn:aws:sqs:r:1:s-custify-backfill.fifo")).isEqualTo("arn:aws:sqs:r:1:s-custify.fifo");
    }
}
