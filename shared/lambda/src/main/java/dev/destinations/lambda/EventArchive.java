package dev.destinations.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The archive of accepted events (README "Archive and replay", D53-D55): each batch's events, as read from their
 * bodies (envelopes unwrapped, batch bodies split: what the destination maps), become one gzip-compressed JSON-lines
 * object in the stack's archive bucket, {@code <slug>/dt=YYYY-MM-DD/hour=HH/<batch id>.jsonl.gz}, encrypted (SSE-S3).
 * One PutObject per batch, started when the batch is read and running beside the deliveries; the batch runner waits
 * for it before it returns (a frozen Lambda finishes nothing). A line is {@code {"archived_at", "message_id",
 * "event"}}: the event as the producer sent it, and the id the deduplication store keys it by when it has no
 * messageId. Settings and the API key are not events and are never written here.
 *
 * <p>A failed write never fails delivery: it is reported ({@code onFailure}: the error code only) and counted in
 * the ArchiveFailures metric, which has an alarm. The client (the Wiring's S3 client, shared with offloaded bodies) is
 * built on the first write (or by SnapStart priming), never at cold start; each write is bounded by
 * {@link #WRITE_TIMEOUT}. Thread-safe.
 */
public final class EventArchive {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** The write's budget; the batch runner waits at most this long after the batch's own work. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);
    private static final EventArchive OFF = new EventArchive(null, null, null, null);

    /**
     * One event of the batch.
     *
     * @param messageId the SQS message id ({@code <id>#<n>} for an event of a batch body): the deduplication key of an
     *                  event without a messageId, so a replay can carry it (D54)
     * @param eventJson the event's JSON text, after unwrapping
     */
    public record Entry(String messageId, String eventJson) {}

    /** What one batch's write came to, for the metrics: events written, or a failure. */
    public interface Listener {
        void written(int events);

        void failed(String why);
    }

    private final Lazy<S3Client> client;
    private final String bucket;
    private final String slug;
    private final Listener listener;

    /**
     * @param build    builds the client, once, on first use
     * @param bucket   ARCHIVE_BUCKET
     * @param listener told each batch's result (a failure as {@code <error code>}: no key, no event value)
     */
    public EventArchive(Supplier<S3Client> build, String bucket, String slug, Listener listener) {
        this.client = build == null ? null : new Lazy<>(build);
        this.bucket = bucket;
        this.slug = slug;
        this.listener = listener;
    }

    /** No archive: ArchiveDays 0, or no ARCHIVE_BUCKET. */
    public static EventArchive off() {
        return OFF;
    }

    public boolean on() {
        return client != null;
    }

    /** The object key of a batch: {@code <slug>/dt=YYYY-MM-DD/hour=HH/<time>-<batch id>.jsonl.gz}. */
    public static String key(String slug, Instant at, String batchId) {
        return slug + "/" + HOUR.format(at) + "/" + STAMP.format(at) + "-" + batchId + ".jsonl.gz";
    }

    /** The prefix of one hour of a destination's objects. */
    public static String hourPrefix(String slug, Instant hour) {
        return slug + "/" + HOUR.format(hour) + "/";
    }

    /**
     * Starts writing the batch's events (nothing when there are none or the archive is off). The lines are made
     * here, on the caller's thread, before any delivery runs; compressing and the PUT run on a platform daemon thread.
     * Not a virtual thread: the PUT's first run loads and links most of the S3 client's classes, and on a virtual
     * thread, beside the deliveries' virtual threads doing the same for theirs, one CI run (JDK 25) saw that linkage
     * fail with an IncompatibleClassChangeError that no rerun reproduced; one platform thread per batch costs nothing
     * beside a vendor call.
     */
    public Write start(List<Entry> entries, String batchId, Instant at) {
        if (!on() || entries.isEmpty()) return Write.NONE;
        CompletableFuture<Void> put = new CompletableFuture<>();
        try {
            byte[] lines = lines(entries, at);
            String key = key(slug, at, batchId);
            Thread.ofPlatform().daemon().name("archive").start(() -> {
                try {
                    byte[] gz = gzip(lines);
                    client.get().putObject(r -> r.bucket(bucket).key(key).contentType("application/gzip")
                            .serverSideEncryption(ServerSideEncryption.AES256).overrideConfiguration(o -> o.apiCallTimeout(WRITE_TIMEOUT)),
                            RequestBody.fromBytes(gz));
                    put.complete(null);
                } catch (Throwable t) {
                    put.completeExceptionally(t);
                }
            });
        } catch (RuntimeException | OutOfMemoryError e) { // the batch is delivered all the same; await() reports it
            put.completeExceptionally(e);
        }
        return new Write(put, entries.size(), listener);
    }

    /** Builds the client now (SnapStart priming: the snapshot then holds it); makes no call. */
    void buildClient() {
        if (on()) client.get();
    }

    static byte[] lines(List<Entry> entries, Instant at) {
        StringBuilder out = new StringBuilder(entries.size() * 256);
        String archivedAt = at.toString();
        for (Entry e : entries) {
            out.append("{\"archived_at\":\"").append(archivedAt).append("\",\"message_id\":");
            quote(out, e.messageId());
            out.append(",\"event\":").append(e.eventJson()).append("}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    /** A batch's write in progress. */
    public static final class Write {
        static final Write NONE = new Write(null, 0, null);
        private final CompletableFuture<Void> put;
        private final int events;
        private final Listener listener;

        private Write(CompletableFuture<Void> put, int events, Listener listener) {
            this.put = put;
            this.events = events;
            this.listener = listener;
        }

        /** Waits for the PUT (at most {@link #WRITE_TIMEOUT}) and tells the listener; never throws. */
        public void await() {
            if (put == null) return;
            try {
                put.get(WRITE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
                listener.written(events);
            } catch (ExecutionException e) {
                listener.failed(code(e.getCause()));
            } catch (TimeoutException e) {
                listener.failed("timeout");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.failed("interrupted");
            } catch (RuntimeException e) {
                listener.failed(code(e));
            }
        }
    }

    /**
     * The service's error code (AccessDenied, NoSuchBucket, ...) or the exception's class: never a message text. An
     * Error (a JVM linkage failure, say) also names the code location it was thrown at, so the log says where.
     */
    static String code(Throwable e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null) {
            return s.awsErrorDetails().errorCode();
        }
        if (e == null) return "unknown";
        String name = e.getClass().getSimpleName();
        StackTraceElement[] frames = e.getStackTrace();
        if (e instanceof Error && frames.length > 0) {
            return name + " at " + frames[0].getClassName() + "." + frames[0].getMethodName() + ":" + frames[0].getLineNumber();
        }
        return name;
    }
}
