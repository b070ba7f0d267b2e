package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.MessageBody;
import dev.destinations.lambda.EventArchive;
import dev.destinations.mapping.Json;
import dev.destinations.tools.Functions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@code bin/replay}: sends archived events (README "Archive and replay", D54), or a DLQ's parked ones of one reason,
 * back through a destination's queue, or with {@code --dry-run} prints what the function would send for each under
 * the current settings (the {@link DryRun} engine). A replayed message carries the message attribute {@code replay}
 * (so the function counts it and does not archive it again) and the event's original messageId (for an event that
 * had none, the SQS id its deduplication key was made of), so the deduplication store drops the track/page writes
 * already delivered; identify and group are upserts and apply again. Everything replayed passes the function's gates,
 * the erasure suppression among them, as a live event does.
 */
public final class Replay {
    /** The message attribute the function reads (QueueActions.REPLAY); its value is where the event came from. */
    public static final String REPLAY_ATTRIBUTE = "replay";

    private Replay() {}

    /** An event to replay: its JSON and the id its deduplication key was made of. */
    public record Selected(String messageId, String eventJson) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dry-run", "--dlq" -> o.put(a, "true");
                case "--filter" -> filters.add(value(args, ++i, a));
                case "--destination", "--from", "--to", "--reason", "--bucket", "--stack-name", "--endpoint-url", "--lane", "--queue", "--settings", "--max" ->
                        o.put(a, value(args, ++i, a));
                default -> usage("unknown argument " + a);
            }
        }
        if (!o.containsKey("--destination")) usage("--destination is required");
        boolean dlq = o.containsKey("--dlq");
        if (!dlq && !(o.containsKey("--from") && o.containsKey("--to"))) usage("--from and --to are required (or --dlq --reason R)");
        try {
            Functions.Spec function = Functions.named(o.get("--destination"));
            Predicate<JsonNode> filter = filter(String.join(",", filters));
            String stack = o.getOrDefault("--stack-name", "local");
            int max = Integer.parseInt(o.getOrDefault("--max", "100000"));
            JsonNode settings = o.containsKey("--settings") ? Json.parse(o.get("--settings")) : null;
            try (SqsClient sqs = DlqTool.client(o.get("--endpoint-url"))) {
                List<Selected> events;
                if (dlq) {
                    String dlqUrl = DlqTool.queueUrl(sqs, function.logicalId(), stack, Path.of("."));
                    if (!o.containsKey("--dry-run")) {
                        String target = o.containsKey("--queue") ? o.get("--queue") : queueUrl(sqs, function, lane(o.get("--lane")), stack, Path.of("."));
                        fromDlq(sqs, dlqUrl, target, o.get("--reason"), filter, max, System.out);
                        return;
                    }
                    events = new ArrayList<>();
                    for (DlqTool.Parked p : DlqTool.list(sqs, dlqUrl, max, System.out)) {
                        if ((o.get("--reason") == null || o.get("--reason").equals(p.reason())) && matches(p.body(), filter)) {
                            events.add(new Selected(p.messageId(), p.body()));
                        }
                    }
                } else {
                    String bucket = o.containsKey("--bucket") ? o.get("--bucket") : System.getenv("ARCHIVE_BUCKET");
                    if (bucket == null || bucket.isBlank()) usage("--bucket is required (the stack output ArchiveBucketName), or ARCHIVE_BUCKET");
                    try (S3Client s3 = s3(o.get("--endpoint-url"))) {
                        events = fromArchive(s3, bucket, function.destination().slug(), time(o.get("--from"), false), time(o.get("--to"), true), filter, max);
                    }
                }
                if (o.containsKey("--dry-run")) {
                    dryRun(function, events, settings, System.out);
                    return;
                }
                String target = o.containsKey("--queue") ? o.get("--queue") : queueUrl(sqs, function, lane(o.get("--lane")), stack, Path.of("."));
                int sent = send(sqs, target, events, "archive");
                System.out.println("replayed " + sent + " event(s) from the archive to " + target);
            }
        } catch (IllegalArgumentException | IllegalStateException | SdkClientException | UncheckedIOException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The archived events of {@code slug} received in {@code [from, to)} that pass {@code filter}, in archive order
     * (hour by hour, object by object), at most {@code max}.
     */
    public static List<Selected> fromArchive(S3Client s3, String bucket, String slug, Instant from, Instant to, Predicate<JsonNode> filter, int max) {
        if (!from.isBefore(to)) throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        List<Selected> out = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to) && out.size() < max; hour = hour.plus(1, ChronoUnit.HOURS)) {
            String prefix = EventArchive.hourPrefix(slug, hour);
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray();
                for (String line : gunzip(gz).split("\n")) {
                    if (line.isBlank() || out.size() >= max) continue;
                    JsonNode l = parse(line, object.key());
                    Instant at = Instant.parse(l.path("archived_at").asText());
                    if (at.isBefore(from) || !at.isBefore(to) || !filter.test(l.path("event"))) continue;
                    out.add(new Selected(l.path("message_id").asText(null), Json.write(l.path("event"))));
                }
            }
        }
        return out;
    }

    /**
     * Moves the DLQ's parked messages of {@code reason} (null: all) whose event the filter takes to {@code target},
     * unchanged, with the {@code replay=dlq} attribute instead of the reason attributes ({@link DlqTool#redrive}).
     */
    public static DlqTool.Moved fromDlq(SqsClient sqs, String dlqUrl, String target, String reason, Predicate<JsonNode> filter, int max, PrintStream out) {
        return DlqTool.redrive(sqs, dlqUrl, target, reason, max, body -> matches(body, filter), Map.of(REPLAY_ATTRIBUTE, text("dlq")), out);
    }

    /**
     * Sends the events to {@code queueUrl}, ten to a SendMessageBatch, each with the {@code replay} attribute and its
     * original messageId (D54); returns how many SQS took. An entry SQS refuses is named and the rest go on.
     */
    public static int send(SqsClient sqs, String queueUrl, List<Selected> events, String source) {
        int sent = 0;
        for (int from = 0; from < events.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Selected e : events.subList(from, Math.min(from + 10, events.size()))) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + entries.size()).messageBody(withMessageId(e.eventJson(), e.messageId()))
                        .messageAttributes(Map.of(REPLAY_ATTRIBUTE, text(source))).build());
            }
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            sent += r.successful().size();
            r.failed().forEach(f -> System.err.println("replay: SQS refused an event (" + f.code() + "); run the replay again to send it"));
        }
        return sent;
    }

    /**
     * The event with its {@code messageId}: its own if it has one, else the id the function's deduplication key was
     * made of when it first arrived, so the store recognises the replay (README "Duplicate events").
     */
    static String withMessageId(String eventJson, String messageId) {
        JsonNode event;
        try {
            event = Json.parse(eventJson);
        } catch (IOException e) {
            return eventJson;
        }
        JsonNode id = event.get("messageId");
        boolean has = id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank();
        if (has || messageId == null || !(event instanceof ObjectNode o)) return eventJson;
        o.put("messageId", messageId);
        return Json.write(o);
    }

    /**
     * {@code type=track,event=Signed Up}: every key must match, a key given twice matches either value; {@code type}
     * ignores letter case, any other key is a path into the event ({@code properties.plan}) compared as text.
     */
    public static Predicate<JsonNode> filter(String spec) {
        Map<String, List<String>> wanted = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("--filter takes key=value pairs separated by commas, not '" + pair + "'");
                wanted.computeIfAbsent(pair.substring(0, eq).strip(), k -> new ArrayList<>()).add(pair.substring(eq + 1).strip());
            }
        }
        return event -> wanted.entrySet().stream().allMatch(w -> {
            JsonNode v = event;
            for (String step : w.getKey().split("\\.")) v = v == null ? null : v.get(step);
            String actual = v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
            return actual != null && w.getValue().stream().anyMatch(x -> w.getKey().equals("type") ? x.equalsIgnoreCase(actual) : x.equals(actual));
        });
    }

    /** Whether a DLQ body holds an event the filter takes (envelopes unwrapped as the function does). */
    static boolean matches(String body, Predicate<JsonNode> filter) {
        MessageBody.Message m = MessageBody.readOne(body);
        return m.event() != null && filter.test(m.event().root());
    }

    /** What the function would send for each event under the settings (null: events/<slug>/env.json's), sending nothing. */
    public static DryRun.Report dryRun(Functions.Spec function, List<Selected> events, JsonNode settings, PrintStream out) throws IOException {
        ObjectNode file = Json.object();
        var records = file.putArray("Records");
        for (Selected e : events) records.addObject().put("messageId", e.messageId() == null ? "replay" : e.messageId()).put("body", withMessageId(e.eventJson(), e.messageId()));
        return DryRun.run(Path.of("."), function, Json.write(file), settings, out);
    }

    /**
     * The destination's queue of that lane, named as template.yaml names it in the stack: {@code live} its queue,
     * {@code backfill} its {@code <Name>BackfillQueue}; without {@code --lane} the backfill lane when the template
     * has one, so a replay never delays live events, else the queue (D56).
     */
    public static String queueUrl(SqsClient sqs, Functions.Spec function, String lane, String stackName, Path root) throws IOException {
        SamTemplate t = SamTemplate.load(root.resolve("template.yaml"));
        String queueId = FunctionEnvironment.declared(t, function.logicalId()).queueId();
        String backfill = queueId.replaceFirst("Queue$", "BackfillQueue");
        boolean hasBackfill = !t.properties(backfill).isEmpty();
        if (lane.equals("backfill") && !hasBackfill) throw new IllegalArgumentException("template.yaml has no " + backfill + ": give --lane live");
        if (lane.equals("backfill") || (lane.equals(DEFAULT_LANE) && hasBackfill)) queueId = backfill;
        String name = FunctionEnvironment.queueName(t, queueId, stackName);
        return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    /** {@code --lane} not given: the backfill lane if the template has one, else the live queue (D56). */
    static final String DEFAULT_LANE = "default";

    /** {@code --lane}: live or backfill; not given, {@link #DEFAULT_LANE}. */
    static String lane(String typed) {
        if (typed == null) return DEFAULT_LANE;
        String lane = typed.toLowerCase(Locale.ROOT);
        if (!lane.equals("live") && !lane.equals("backfill")) throw new IllegalArgumentException("--lane is live or backfill, not " + typed);
        return lane;
    }

    /** An instant, a date (its midnight UTC; for --to the next midnight) or a date and hour {@code 2026-12-06T10}. */
    static Instant time(String typed, boolean end) {
        try {
            if (typed.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate d = LocalDate.parse(typed);
                return (end ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (typed.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")) {
                Instant h = Instant.parse(typed + ":00:00Z");
                return end ? h.plus(1, ChronoUnit.HOURS) : h;
            }
            return Instant.parse(typed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a time: " + typed + " (2026-12-06, 2026-12-06T10 or 2026-12-06T10:15:00Z, UTC)");
        }
    }

    /** An S3 client the way {@link DlqTool#cliLike} makes any; path-style on a local endpoint (a bucket is no host name there). */
    public static S3Client s3(String endpointUrl) {
        String env = System.getenv("AWS_ENDPOINT_URL");
        return DlqTool.cliLike(S3Client.builder().forcePathStyle(endpointUrl != null || (env != null && !env.isBlank())), endpointUrl);
    }

    private static JsonNode parse(String line, String key) {
        try {
            return Json.parse(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a line of " + key + " that is not JSON", e);
        }
    }

    private static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("an archive object that is not gzip", e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) usage(name + " needs a value");
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("replay: " + problem);
        System.err.println("usage: bin/replay --destination D --from T1 --to T2 [--filter type=track,event=...] [--dry-run] [--bucket B]");
        System.err.println("       bin/replay --destination D --dlq [--reason R] [--filter ...] [--dry-run]");
        System.err.println("       [--lane live|backfill] [--stack-name local] [--endpoint-url URL] [--settings JSON] [--max N]");
        System.exit(2);
    }
}
