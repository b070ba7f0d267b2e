package dev.destinations.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.Delivery;
import dev.destinations.delivery.EventProcessor;
import dev.destinations.delivery.Outcome;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs one SQS batch to a partial batch response. Every message ends in exactly one {@link Result}:
 * delivered, skipped, parked (sent to the DLQ with its reason, then acknowledged) or retried (listed in
 * {@code batchItemFailures}, its visibility set by {@link Backoff}). Nothing is acknowledged unless it was
 * delivered, skipped or parked. Messages of one user run in arrival order; users run concurrently, at most
 * DELIVERY_CONCURRENCY at a time. Never throws for a message.
 */
public final class BatchRunner {
    /** Sees every message's result; the handler's logs and metrics are one, tools may add another. */
    public interface Listener {
        void onResult(Context context, SQSMessage message, String eventType, Result result, Outcome outcome);
    }

    private final EventProcessor<?> processor;
    private final QueueActions queues;
    private final Backoff backoff;
    private final FunctionConfig config;
    private final Listener listener;

    BatchRunner(EventProcessor<?> processor, QueueActions queues, Backoff backoff, FunctionConfig config, Listener listener) {
        this.processor = processor;
        this.queues = queues;
        this.backoff = backoff;
        this.config = config;
        this.listener = listener;
    }

    private record Item(SQSMessage message, EventProcessor.Message read, int receiveCount) {}

    public SQSBatchResponse run(SQSEvent event, Context context) {
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, List<Item>> byOrderingKey = new LinkedHashMap<>();
        boolean fifo = false;
        for (SQSMessage m : records) {
            EventProcessor.Message read = EventProcessor.read(m.getBody());
            String group = m.getAttributes() == null ? null : m.getAttributes().get("MessageGroupId");
            fifo |= group != null;
            String key = group != null ? "group:" + group
                    : read.event() != null && read.event().orderingKey() != null ? "user:" + read.event().orderingKey()
                    : "message:" + m.getMessageId();
            byOrderingKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Item(m, read, QueueActions.receiveCount(m)));
        }
        Map<String, Object> memo = Delivery.newBatchMemo();
        Map<SQSMessage, Integer> visibility = new ConcurrentHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean stopGroupOnFailure = fifo;
        List<Runnable> tasks = new ArrayList<>();
        for (List<Item> items : byOrderingKey.values()) {
            tasks.add(() -> runInOrder(items, stopGroupOnFailure, context, memo, visibility, failures));
        }
        runConcurrently(tasks);
        if (!visibility.isEmpty()) queues.changeVisibility(visibility);
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < records.size(); i++) position.put(records.get(i).getMessageId(), i);
        List<SQSBatchResponse.BatchItemFailure> ordered = new ArrayList<>(failures);
        ordered.sort(java.util.Comparator.comparingInt(f -> position.get(f.getItemIdentifier())));
        return SQSBatchResponse.builder().withBatchItemFailures(ordered).build();
    }

    private void runInOrder(List<Item> items, boolean fifo, Context context, Map<String, Object> memo,
                            Map<SQSMessage, Integer> visibility, List<SQSBatchResponse.BatchItemFailure> failures) {
        boolean blocked = false;
        for (Item item : items) {
            Outcome outcome;
            if (blocked) {
                outcome = Outcome.of(Reason.FIFO_GROUP_BLOCKED, "an earlier message of this FIFO group was not delivered");
            } else if (context != null && context.getRemainingTimeInMillis() < config.deadlineMargin().toMillis()) {
                outcome = Outcome.of(Reason.DEADLINE, "not started: " + context.getRemainingTimeInMillis() + " ms left in the invocation");
            } else {
                outcome = processor.process(item.read(), item.receiveCount(), memo);
            }
            Result result = settle(context, item, outcome, visibility, failures);
            blocked |= fifo && result == Result.RETRIED;
        }
    }

    /** Turns an outcome into the message's result: acknowledge, park or retry. */
    private Result settle(Context context, Item item, Outcome outcome, Map<SQSMessage, Integer> visibility, List<SQSBatchResponse.BatchItemFailure> failures) {
        Result result;
        Outcome finalOutcome = outcome;
        if (outcome.delivered()) {
            result = Result.DELIVERED;
        } else if (outcome.disposition() == Reason.Disposition.SKIP) {
            result = Result.SKIPPED;
        } else {
            boolean lastReceive = outcome.disposition() == Reason.Disposition.RETRY && item.receiveCount() >= config.maxReceiveCount();
            if (outcome.disposition() == Reason.Disposition.PARK || lastReceive) {
                String detail = lastReceive ? "gave up after " + item.receiveCount() + " receives: " + outcome.detail() : outcome.detail();
                boolean parked = queues.park(item.message(), new QueueActions.Parking(
                        processor.destination().slug(), outcome.reason().code(), detail, outcome.vendorStatus(), lastReceive));
                if (parked) {
                    result = Result.PARKED;
                } else {
                    result = Result.RETRIED;
                    finalOutcome = new Outcome(Reason.PARKING_FAILED, "the DLQ did not take the message (" + outcome.reason().code() + ": "
                            + outcome.detail() + ")", outcome.vendorStatus(), null, outcome.vendorCalls(), outcome.vendorMillis());
                }
            } else {
                result = Result.RETRIED;
            }
        }
        if (result == Result.RETRIED) {
            failures.add(new SQSBatchResponse.BatchItemFailure(item.message().getMessageId()));
            Reason r = finalOutcome.reason();
            boolean immediately = r == Reason.DEADLINE || r == Reason.FIFO_GROUP_BLOCKED;
            visibility.put(item.message(), immediately ? 0 : backoff.visibilitySeconds(item.receiveCount(), finalOutcome.retryAfter()));
        }
        listener.onResult(context, item.message(), eventType(item), result, finalOutcome);
        return result;
    }

    private static String eventType(Item item) {
        if (item.read().event() == null) return "unreadable";
        String text = item.read().event().typeText();
        EventType type = text == null ? null : EventType.of(text);
        return type == null ? (text == null ? "missing" : "unknown") : type.wireName();
    }

    private void runConcurrently(List<Runnable> tasks) {
        if (tasks.size() == 1 || config.concurrency() == 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        Semaphore permits = new Semaphore(config.concurrency());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable task : tasks) {
                pool.execute(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        task.run();
                    } finally {
                        permits.release();
                    }
                });
            }
        }
    }

    /** The handler's own listener: one structured log line per message and the EMF counters. */
    static Listener logsAndMetrics(JsonLog log, EmfMetrics metrics, String destination) {
        return (context, message, eventType, result, outcome) -> {
            String level = switch (result) {
                case DELIVERED, SKIPPED -> "INFO";
                case RETRIED -> "WARN";
                case PARKED -> "ERROR";
            };
            ObjectNode line = log.line(level, "message " + result.code());
            line.put("destination", destination);
            line.put("event_type", eventType);
            line.put("message_id", message.getMessageId());
            line.put("receive_count", QueueActions.receiveCount(message));
            line.put("outcome", result.code());
            if (outcome.reason() != null) line.put("reason", outcome.reason().code());
            if (outcome.detail() != null) line.put("detail", outcome.detail());
            if (outcome.vendorStatus() > 0) line.put("vendor_status", outcome.vendorStatus());
            line.put("vendor_calls", outcome.vendorCalls());
            line.put("vendor_latency_ms", outcome.vendorMillis());
            if (context != null && context.getAwsRequestId() != null) line.put("function_request_id", context.getAwsRequestId());
            // the Java runtime passes the trace header as a system property; custom runtimes as an environment variable
            String trace = System.getProperty("com.amazonaws.xray.traceHeader", System.getenv("_X_AMZN_TRACE_ID"));
            if (trace != null) line.put("xray_trace_id", trace);
            log.write(line);
            metrics.record(result, outcome.reason(), outcome.vendorCalls(), outcome.vendorMillis());
        };
    }
}
