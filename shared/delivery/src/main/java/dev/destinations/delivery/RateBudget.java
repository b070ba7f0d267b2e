package dev.destinations.delivery;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * This instance's share of the destination's vendor rate limit: {@code perSecond} calls a second with up to one
 * second of burst (a GCRA token bucket). A call waits for its turn, but never past the invocation's deadline: then
 * it is not sent and fails with {@link Reason#RATE_LIMITED} and a Retry-After of the wait, so it is retried later
 * instead of spending the vendor's limit on a 429. With a {@link DailyQuota} the turns are also paced so that the
 * day's share lasts the day (whichever interval is longer), and a call past the share is not sent (D38). Thread-safe.
 */
public final class RateBudget {
    private long intervalNanos;
    private long toleranceNanos;
    private final LongSupplier clock;
    private final DailyQuota quota;
    private long theoreticalArrival;

    /** @param perSecond calls per second for this instance; 0 or less means unlimited */
    public RateBudget(double perSecond, LongSupplier nanoClock) {
        this(perSecond, DailyQuota.none(), nanoClock);
    }

    /**
     * @param perSecond calls per second for this instance; 0 or less means unlimited
     * @param quota     this instance's share of the daily quota ({@link DailyQuota#none()}: none)
     */
    public RateBudget(double perSecond, DailyQuota quota, LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.quota = quota;
        this.theoreticalArrival = nanoClock.getAsLong();
        perSecond(perSecond);
    }

    /** Changes the rate from the next call on (the backfill lane's, D58); turns already taken stay taken. */
    public synchronized void perSecond(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : Math.max(1, (long) (1_000_000_000L / perSecond));
        this.toleranceNanos = Math.max(0, 1_000_000_000L - intervalNanos);
    }

    public static RateBudget unlimited() {
        return new RateBudget(0, System::nanoTime);
    }

    /**
     * The destination's limit split across its instances: the event source runs at most {@code instances} at once
     * (MaximumConcurrency), so each takes its share.
     * @param limitPerSecond the VENDOR_RATE_LIMIT setting; 0 = unlimited
     */
    public static RateBudget share(double limitPerSecond, int instances) {
        return share(limitPerSecond, DailyQuota.none(), instances);
    }

    /** As {@link #share(double, int)}, with the instance's share of the daily quota ({@link DailyQuota#share}). */
    public static RateBudget share(double limitPerSecond, DailyQuota quota, int instances) {
        return new RateBudget(limitPerSecond <= 0 ? 0 : limitPerSecond / Math.max(1, instances), quota, System::nanoTime);
    }

    public synchronized boolean limited() {
        return intervalNanos > 0 || quota.limited();
    }

    /** Takes this call's turn, waiting for it; throws RATE_LIMITED when the turn comes after {@code deadlineNanos}. */
    public void acquire(long deadlineNanos) {
        long wait = reserve(deadlineNanos);
        long goAt = clock.getAsLong() + wait;
        for (long left = wait; left > 0; left = goAt - clock.getAsLong()) LockSupport.parkNanos(left);
    }

    /**
     * Reserves the next turn and returns how long to wait for it (0: now). The turn after it is one interval later:
     * the rate limit's, or the daily quota's pace when that is longer.
     */
    synchronized long reserve(long deadlineNanos) {
        if (!limited()) return 0;
        long pace = quota.take(); // throws DAILY_QUOTA when today's share is spent
        long now = clock.getAsLong();
        long goAt = Math.max(now, theoreticalArrival - toleranceNanos);
        if (goAt - deadlineNanos > 0) {
            quota.giveBack();
            long waitMs = Math.max(1, (goAt - now) / 1_000_000);
            if (pace > intervalNanos) {
                throw new Failure(Reason.DAILY_QUOTA, "not sent: paced by this instance's share of the vendor's daily quota, no call free "
                        + "before the invocation's deadline (next in " + waitMs + " ms)", 0, Duration.ofMillis(waitMs));
            }
            throw new Failure(Reason.RATE_LIMITED, "not sent: this instance's share of the vendor rate limit has no call free before the "
                    + "invocation's deadline (next in " + waitMs + " ms)", 0, Duration.ofMillis(waitMs));
        }
        theoreticalArrival = Math.max(theoreticalArrival, goAt) + Math.max(intervalNanos, pace);
        return goAt - now;
    }
}
