package dev.destinations.lambda;

import dev.destinations.delivery.DailyQuota;
import dev.destinations.delivery.RateBudget;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The vendor's rate for one instance, by lane (D58). Live traffic keeps the whole VENDOR_RATE_LIMIT, split across
 * the live event source's MAXIMUM_CONCURRENCY instances as before; the backfill lane's instances (BACKFILL_CONCURRENCY)
 * share at most BACKFILL_SHARE of it while live traffic flows, and the whole limit once the live queue has been idle
 * (nothing visible and nothing in flight at every look) for {@link #IDLE_FOR}. So live calls never queue behind an
 * import while they use up to (1 - BACKFILL_SHARE) of the limit, and an import takes whatever a quiet live lane leaves
 * unused. A queue that is empty at one look may still be flowing (a message every 50 ms is mostly in nobody's hands),
 * hence the minute: a live stream is never mistaken for a quiet lane, and live traffic that returns meets the whole
 * limit spent for at most one {@link #RECHECK}.
 *
 * <p>The daily quota (VENDOR_DAILY_QUOTA, D38) is split the same way: the live instances keep their shares of the whole
 * quota, the backfill lane's instances share BACKFILL_SHARE of it. So an import never spends more than its share of
 * the day, and the vendor's quota is only at risk on a day when live traffic alone uses more than (1 - BACKFILL_SHARE).
 *
 * <p>The live queue is asked (one GetQueueAttributes) at most every {@link #RECHECK} per instance, only by backfill
 * batches; an answer that cannot be had counts as "not idle" (the share).
 */
final class LaneBudgets {
    static final Duration RECHECK = Duration.ofSeconds(5);
    static final Duration IDLE_FOR = Duration.ofSeconds(60);

    private final RateBudget live;
    private final RateBudget backfill;
    private final double sharePerSecond;
    private final double wholePerSecond;
    private final boolean rateLimited;
    private final Predicate<String> liveQueueIdle;
    private final LongSupplier clock;
    private long checkedAt;
    private boolean checked;
    private long emptySince;
    private boolean empty;
    private boolean idle;

    /** @param liveQueueIdle given the live queue's ARN: true when it holds no message, visible or in flight */
    LaneBudgets(FunctionConfig config, Predicate<String> liveQueueIdle, Duration quotaDay, LongSupplier nanoClock) {
        int limit = config.vendorRateLimit();
        int instances = Math.max(1, config.backfillConcurrency());
        int liveInstances = Math.max(1, config.maximumConcurrency());
        this.rateLimited = limit > 0;
        this.live = new RateBudget(limit <= 0 ? 0 : (double) limit / liveInstances,
                DailyQuota.share(config.vendorDailyQuota(), liveInstances, quotaDay), nanoClock);
        this.sharePerSecond = limit * config.backfillShare() / instances;
        this.wholePerSecond = (double) limit / instances;
        // a share of 0 would be "unlimited" to RateBudget: the backfill then creeps at one call a minute per instance
        // a quota share of 0 would be "no quota" to DailyQuota: the backfill then gets one call a day per instance
        long backfillQuota = config.vendorDailyQuota() <= 0 ? 0 : Math.max(1, (long) Math.floor(config.vendorDailyQuota() * config.backfillShare()));
        this.backfill = new RateBudget(limit <= 0 ? 0 : Math.max(sharePerSecond, 1.0 / 60), DailyQuota.share(backfillQuota, instances, quotaDay), nanoClock);
        this.liveQueueIdle = liveQueueIdle;
        this.clock = nanoClock;
    }

    RateBudget live() {
        return live;
    }

    /** The backfill lane's budget; {@link #refresh} sets its rate. */
    RateBudget backfill() {
        return backfill;
    }

    /** Sets the backfill lane's rate from the live queue's state, asked again after {@link #RECHECK}; before a backfill batch. */
    synchronized void refresh(String backfillQueueArn) {
        if (!rateLimited) return;
        long now = clock.getAsLong();
        if (!checked || now - checkedAt >= RECHECK.toNanos()) {
            boolean nowIdle;
            try {
                nowIdle = liveQueueIdle.test(Lane.liveQueueArn(backfillQueueArn));
            } catch (RuntimeException e) {
                nowIdle = false;
            }
            checked = true;
            checkedAt = now;
            if (nowIdle && !empty) emptySince = now;
            empty = nowIdle;
            idle = empty && now - emptySince >= IDLE_FOR.toNanos();
            backfill.perSecond(Math.max(idle ? wholePerSecond : sharePerSecond, 1.0 / 60));
        }
    }

    /** Whether the live queue has been found empty at every look for {@link #IDLE_FOR} (the backfill then takes the whole limit). */
    synchronized boolean liveIdle() {
        return idle;
    }
}
