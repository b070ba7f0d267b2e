package dev.destinations.lambda;

import java.util.Locale;

/**
 * Which of a destination's two queues a batch came from (D57): the live queue, or the backfill queue that historical
 * imports and replays use. A batch's records all come from one event source, so the first record's
 * {@code eventSourceARN} names the lane; the backfill queue's name ends in {@value #BACKFILL_SUFFIX} (template.yaml).
 */
public enum Lane {
    LIVE, BACKFILL;

    static final String BACKFILL_SUFFIX = "-backfill";

    public static Lane of(String eventSourceArn) {
        if (eventSourceArn == null) return LIVE;
        String name = eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
        if (name.endsWith(".fifo")) name = name.substring(0, name.length() - ".fifo".length());
        return name.endsWith(BACKFILL_SUFFIX) ? BACKFILL : LIVE;
    }

    /** The live queue's ARN beside a backfill queue's. */
    static String liveQueueArn(String backfillQueueArn) {
        return backfillQueueArn.replaceFirst(BACKFILL_SUFFIX + "(\\.fifo)?$", "$1");
    }

    /** The metric dimension's and the log's value: live, backfill. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
