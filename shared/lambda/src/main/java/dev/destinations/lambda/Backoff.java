package dev.destinations.lambda;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a retried message stays invisible: the vendor's Retry-After when given, else exponential in the receive
 * count ({@code base * 2^(n-1)}, capped) with full jitter in its upper half, so retries of a burst spread out
 * instead of hitting the vendor together. Clamped to SQS's 12-hour maximum.
 */
public final class Backoff {
    static final int SQS_MAX_VISIBILITY_SECONDS = 43_200;

    private final long baseSeconds;
    private final long maxSeconds;

    public Backoff(Duration base, Duration max) {
        this.baseSeconds = base.toSeconds();
        this.maxSeconds = Math.min(max.toSeconds(), SQS_MAX_VISIBILITY_SECONDS);
    }

    public int visibilitySeconds(int receiveCount, Duration retryAfter) {
        if (retryAfter != null) {
            long s = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
            return (int) Math.min(Math.max(s, 1), SQS_MAX_VISIBILITY_SECONDS);
        }
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 20);
        long ceiling = Math.min(maxSeconds, baseSeconds << exponent);
        if (ceiling <= 1) return (int) ceiling;
        long half = ceiling / 2;
        return (int) (half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
