package dev.destinations.delivery;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * This instance's share of the destination's vendor calls per UTC day ({@code VENDOR_DAILY_QUOTA} split over
 * {@code MAXIMUM_CONCURRENCY}, as the rate limit is; D38). Asked by {@link RateBudget} before each call:
 * <ul>
 *   <li>it paces: the calls left of today's share are spread evenly over the time left of the day, so a backlog
 *       never spends the day's quota before the day ends (a quiet morning leaves more for the afternoon);</li>
 *   <li>a call that would overrun the share is not sent: {@link Reason#DAILY_QUOTA}, retried with a Retry-After
 *       pointing at the next day, never parked for it.</li>
 * </ul>
 * The count is this instance's, in memory: a new instance starts with a full share (the alarm on the
 * destination's {@code VendorCalls} sees the real total). Thread-safe.
 */
public final class DailyQuota {
    /** A UTC day. */
    public static final Duration DAY = Duration.ofDays(1);

    private final long share;
    private final LongSupplier epochMillis;
    private final long dayMillis;
    private long day = Long.MIN_VALUE;
    private long used;

    /**
     * @param share       calls per day for this instance; 0 or less means no quota
     * @param epochMillis the wall clock
     * @param day         the length of a quota day: {@link #DAY}; shorter only to compress time in a simulation
     */
    public DailyQuota(long share, LongSupplier epochMillis, Duration day) {
        this.share = Math.max(0, share);
        this.epochMillis = epochMillis;
        this.dayMillis = day.toMillis();
    }

    public static DailyQuota none() {
        return new DailyQuota(0, System::currentTimeMillis, DAY);
    }

    /** The destination's quota split over its instances: each takes its share (at least one call). */
    public static DailyQuota share(long quotaPerDay, int instances, Duration day) {
        return new DailyQuota(quotaPerDay <= 0 ? 0 : Math.max(1, quotaPerDay / Math.max(1, instances)), System::currentTimeMillis, day);
    }

    public boolean limited() {
        return share > 0;
    }

    /**
     * Takes one call of today's share and returns the pacing interval in nanoseconds: the time left of the day over
     * the calls left (this one included). Throws {@link Reason#DAILY_QUOTA} when today's share is spent.
     */
    synchronized long take() {
        if (share == 0) return 0;
        long now = epochMillis.getAsLong();
        long today = Math.floorDiv(now, dayMillis);
        if (today != day) {
            day = today;
            used = 0;
        }
        long leftMillis = (today + 1) * dayMillis - now;
        if (used >= share) {
            throw new Failure(Reason.DAILY_QUOTA, "not sent: this instance's share of the vendor's daily quota (" + share
                    + " calls) is spent; retried in the next quota day", 0, Duration.ofMillis(Math.max(1, leftMillis)));
        }
        long pace = leftMillis * 1_000_000L / (share - used);
        used++;
        return pace;
    }

    /** A call taken but not sent after all (its turn came after the deadline): it stays in today's share. */
    synchronized void giveBack() {
        if (share > 0 && used > 0) used--;
    }

    /** Calls taken today (for tests and the quota run's report). */
    public synchronized long usedToday() {
        return day == Math.floorDiv(epochMillis.getAsLong(), dayMillis) ? used : 0;
    }

    public long share() {
        return share;
    }
}
