package dev.destinations.tools.local;

import dev.destinations.tools.Functions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * {@code bin/local dlq list|redrive}: reads a DLQ's parked messages with the reason attributes the functions put
 * on them, and moves them (all, or those of one reason) back to their source queue. Works the same on moto_server,
 * LocalStack and AWS: plain receive / send / delete / change-visibility calls ({@code StartMessageMoveTask} is not
 * implemented by moto), SDK default credentials and region, endpoint from {@code --endpoint-url} or
 * {@code AWS_ENDPOINT_URL}.
 */
public final class DlqTool {
    /**
     * The attributes the batch runner adds when it parks a message (QueueActions.park), and the receive count a
     * re-queued batch event carries (D19): dropped on redrive, so a redriven message is counted afresh.
     */
    public static final Set<String> REASON_ATTRIBUTES = Set.of("reason", "destination", "original_message_id", "receive_count",
            "first_received", "vendor_status", "exhausted", "detail", "requeued_receive_count");
    /** {@code --reason none}: the messages without a reason (moved by the queue's redrive policy, not parked by a function). */
    public static final String NO_REASON = "none";

    private static final int HOLD_SECONDS = 60;

    private DlqTool() {}

    /** One DLQ message as listed. */
    public record Parked(String messageId, Map<String, String> reasonAttributes, String body) {
        public String reason() {
            return reasonAttributes.getOrDefault("reason", NO_REASON);
        }
    }

    /** What a redrive did. */
    public record Moved(String sourceUrl, int moved, int left) {}

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        String target = null;
        String to = null;
        String reason = null;
        String endpoint = null;
        String stack = "local";
        int max = 1000;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--to" -> to = args[++i];
                case "--reason" -> reason = args[++i];
                case "--endpoint-url" -> endpoint = args[++i];
                case "--stack-name" -> stack = args[++i];
                case "--max" -> max = Integer.parseInt(args[++i]);
                default -> target = args[i];
            }
        }
        if (target == null || !(command.equals("list") || command.equals("redrive"))) {
            System.err.println("usage: bin/local dlq list QUEUE_URL_OR_FUNCTION [--endpoint-url URL] [--stack-name local]");
            System.err.println("       bin/local dlq redrive DLQ [--to SOURCE_QUEUE] [--reason CODE|none] [--endpoint-url URL] [--stack-name local]");
            System.exit(2);
        }
        try (SqsClient sqs = client(endpoint)) {
            String dlqUrl = queueUrl(sqs, target, stack, Path.of("."));
            if (command.equals("list")) {
                list(sqs, dlqUrl, max, System.out);
            } else {
                redrive(sqs, dlqUrl, to == null ? null : queueUrl(sqs, to, stack, Path.of(".")), reason, max, System.out);
            }
        } catch (IllegalArgumentException | IllegalStateException | SdkClientException e) {
            System.err.println("dlq: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * An SQS client the way the AWS CLI would make one: the SDK's default credentials and region; {@code endpointUrl}
     * (else {@code AWS_ENDPOINT_URL}, which the SDK reads itself). For a local endpoint, a missing region or missing
     * credentials fall back to us-east-1 and dummy keys (moto and LocalStack accept any).
     */
    public static SqsClient client(String endpointUrl) {
        return cliLike(SqsClient.builder(), endpointUrl);
    }

    /** Any SDK client made as {@link #client} makes the SQS one (also {@code bin/local receipts}' DynamoDB client). */
    static <B extends software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C>
            C cliLike(B b, String endpointUrl) {
        String env = System.getenv("AWS_ENDPOINT_URL");
        boolean local = endpointUrl != null || (env != null && !env.isBlank());
        b.httpClient(UrlConnectionHttpClient.create());
        if (endpointUrl != null) b.endpointOverride(URI.create(endpointUrl));
        try {
            new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (!local) throw new IllegalStateException("no AWS region configured (set AWS_REGION or a profile region)", e);
            b.region(Region.US_EAST_1);
        }
        if (local) {
            try {
                DefaultCredentialsProvider.builder().build().resolveCredentials();
            } catch (SdkClientException e) {
                b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        }
        return b.build();
    }

    /**
     * A queue URL from what was typed: a URL as is; a function (logical id or slug) = its DLQ in the stack, named as
     * template.yaml names it; anything else a queue name.
     */
    public static String queueUrl(SqsClient sqs, String typed, String stackName, Path root) throws IOException {
        if (typed.startsWith("http://") || typed.startsWith("https://")) return typed;
        var function = Functions.byName(typed);
        String name = typed;
        if (function.isPresent()) {
            SamTemplate t = SamTemplate.load(root.resolve("template.yaml"));
            FunctionEnvironment.Declared d = FunctionEnvironment.declared(t, function.get().logicalId());
            if (d.dlqId() == null) throw new IllegalArgumentException(d.queueId() + " has no DLQ in template.yaml");
            name = FunctionEnvironment.queueName(t, d.dlqId(), stackName);
        }
        String queueName = name;
        return sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    }

    /** Lists up to {@code max} messages with their reason attributes and makes them visible again: nothing is consumed. */
    public static List<Parked> list(SqsClient sqs, String dlqUrl, int max, PrintStream out) {
        List<Message> held = receiveAll(sqs, dlqUrl, max);
        try {
            List<Parked> parked = new ArrayList<>();
            Map<String, Integer> byReason = new TreeMap<>();
            out.println("DLQ " + dlqUrl + ": " + held.size() + " message(s)" + (held.size() >= max ? " (first " + max + ")" : ""));
            for (Message m : held) {
                Map<String, String> a = new LinkedHashMap<>();
                for (String name : List.of("reason", "detail", "vendor_status", "receive_count", "original_message_id", "destination", "first_received", "exhausted")) {
                    MessageAttributeValue v = m.messageAttributes().get(name);
                    if (v != null) a.put(name, v.stringValue());
                }
                Parked p = new Parked(m.messageId(), a, m.body());
                parked.add(p);
                byReason.merge(p.reason(), 1, Integer::sum);
                out.println("  " + m.messageId() + "  reason=" + p.reason() + "  vendor_status=" + a.getOrDefault("vendor_status", "-")
                        + "  receive_count=" + a.getOrDefault("receive_count", "-") + "  original_message_id=" + a.getOrDefault("original_message_id", "-")
                        + (a.containsKey("detail") ? "  detail=" + a.get("detail") : ""));
            }
            out.println("by reason: " + byReason + " (listed without consuming: the messages stay in the DLQ)");
            return parked;
        } finally {
            release(sqs, dlqUrl, held);
        }
    }

    /**
     * Moves the DLQ's messages (only those whose {@code reason} attribute is {@code reason}, when given) to
     * {@code sourceUrl} (null = the DLQ's only source queue, by ListDeadLetterSourceQueues): send with the body and
     * the message attributes minus the reason attributes, then delete from the DLQ. The others are made visible again.
     */
    public static Moved redrive(SqsClient sqs, String dlqUrl, String sourceUrl, String reason, int max, PrintStream out) {
        return redrive(sqs, dlqUrl, sourceUrl, reason, max, body -> true, Map.of(), out);
    }

    /**
     * {@link #redrive(SqsClient, String, String, String, int, PrintStream)} of the messages whose body {@code take}s,
     * with {@code added} message attributes (bin/replay's {@code replay=dlq}, D54); the others stay in the DLQ.
     */
    public static Moved redrive(SqsClient sqs, String dlqUrl, String sourceUrl, String reason, int max, java.util.function.Predicate<String> take,
                                Map<String, MessageAttributeValue> added, PrintStream out) {
        String source = sourceUrl != null ? sourceUrl : sourceOf(sqs, dlqUrl);
        boolean fifo = source.endsWith(".fifo");
        List<Message> held = receiveAll(sqs, dlqUrl, max);
        List<Message> left = new ArrayList<>();
        Map<String, Integer> leftByReason = new TreeMap<>();
        int moved = 0;
        try {
            for (Message m : held) {
                MessageAttributeValue r = m.messageAttributes().get("reason");
                String code = r == null ? NO_REASON : r.stringValue();
                if ((reason != null && !reason.equals(code)) || !take.test(m.body())) {
                    left.add(m);
                    leftByReason.merge(code, 1, Integer::sum);
                    continue;
                }
                Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(m.messageAttributes());
                attributes.keySet().removeAll(REASON_ATTRIBUTES);
                attributes.putAll(added);
                SendMessageRequest.Builder send = SendMessageRequest.builder().queueUrl(source).messageBody(m.body()).messageAttributes(attributes);
                if (fifo) {
                    String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
                    send.messageGroupId(group != null ? group : "redrive").messageDeduplicationId(m.messageId());
                }
                sqs.sendMessage(send.build());
                sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
                moved++;
            }
        } finally {
            release(sqs, dlqUrl, left);
        }
        out.println("moved " + moved + " message(s) from " + dlqUrl + " to " + source + (reason == null ? "" : " (reason " + reason + ")")
                + "; " + left.size() + " left in the DLQ" + (left.isEmpty() ? "" : " " + leftByReason));
        return new Moved(source, moved, left.size());
    }

    private static String sourceOf(SqsClient sqs, String dlqUrl) {
        List<String> sources = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlqUrl)).queueUrls();
        // a destination's live queue and its backfill lane share the DLQ (D57): back to the live queue, unless --to says otherwise
        List<String> live = sources.stream().filter(q -> sources.contains(q + "-backfill")).toList();
        if (sources.size() == 2 && live.size() == 1) return live.get(0);
        if (sources.size() != 1) {
            throw new IllegalArgumentException(sources.isEmpty() ? "no queue uses " + dlqUrl + " as its DLQ: give --to SOURCE_QUEUE"
                    : "several queues use this DLQ " + sources + ": give --to SOURCE_QUEUE");
        }
        return sources.get(0);
    }

    /** Receives until the queue returns nothing (or {@code max}), holding what it got invisible meanwhile. */
    private static List<Message> receiveAll(SqsClient sqs, String url, int max) {
        Map<String, Message> got = new LinkedHashMap<>();
        while (got.size() < max) {
            int want = Math.min(10, max - got.size());
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(want).visibilityTimeout(HOLD_SECONDS)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) break;
            batch.forEach(m -> got.putIfAbsent(m.messageId(), m));
        }
        return new ArrayList<>(got.values());
    }

    /** Makes held messages visible again at once. */
    private static void release(SqsClient sqs, String url, List<Message> held) {
        for (int from = 0; from < held.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : held.subList(from, Math.min(from + 10, held.size()))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + entries.size()).receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
        }
    }
}
