package dev.destinations.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.delivery.BatchMemo;
import dev.destinations.delivery.EventProcessor;
import dev.destinations.delivery.MessageBody;
import dev.destinations.delivery.OffloadedPayloads;
import dev.destinations.delivery.Verdict;
import dev.destinations.delivery.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Runs one SQS batch to a partial batch response. Every message ends in exactly one {@link Outcome}:
 * delivered, skipped, parked (sent to the DLQ with its reason, then acknowledged) or retried (listed in
 * {@code batchItemFailures}, its visibility set by {@link Backoff}). Nothing is acknowledged unless it was
 * explicitly settled delivered, skipped or parked (or, for an event of a batch body, re-queued): an event that no
 * settlement reached, because something threw in a user's task or in a listener, is retried as INTERNAL_ERROR
 * (see {@link #finish}). Messages of one user run in arrival order; users run concurrently, at most
 * DELIVERY_CONCURRENCY at a time. Never throws for a message.
 *
 * <p>What is scheduled are events: a message body is read once ({@link MessageBody}: envelopes unwrapped, batch
 * bodies split, D18/D19), and each event of a batch body ends in an outcome of its own (see {@link #finishBatchBody}).
 */
public final class BatchRunner {
    /** Sees every message's outcome; the handler's logs and metrics are one, tools may add another. */
    public interface Listener {
        void onOutcome(Context context, SQSMessage message, String eventType, Outcome outcome, Verdict verdict);

        /**
         * Tells each listener in turn, each in its own try: one that throws does not keep the next from seeing the
         * outcome. The first throwable is rethrown afterwards, so the batch runner retries the event (INTERNAL_ERROR).
         */
        static Listener each(List<Listener> listeners) {
            return (context, message, eventType, outcome, verdict) -> {
                Throwable first = null;
                for (Listener l : listeners) {
                    try {
                        l.onOutcome(context, message, eventType, outcome, verdict);
                    } catch (Throwable t) {
                        if (first == null) first = t;
                    }
                }
                if (first instanceof RuntimeException e) throw e;
                if (first instanceof Error e) throw e;
                if (first != null) throw new IllegalStateException(first.getClass().getName());
            };
        }
    }

    /** The ordering key of a batch's erasure messages (userDeletion, suppress, unsuppress), run before the rest. */
    private static final String ERASURE = "erasure";

    private final EventProcessor<?> processor;
    private final QueueActions queues;
    private final Backoff backoff;
    private final FunctionConfig config;
    private final RetryPolicy retries;
    private final Listener listener;
    private final OffloadedPayloads payloads;
    private final EventArchive archive;

    BatchRunner(EventProcessor<?> processor, QueueActions queues, Backoff backoff, FunctionConfig config, Listener listener) {
        this(processor, queues, backoff, config, listener, OffloadedPayloads.none(), EventArchive.off());
    }

    /**
     * @param payloads where a body offloaded to S3 is read from, and deleted once its message is settled (D59)
     * @param archive  where the batch's events are archived on their first arrival (D53)
     */
    BatchRunner(EventProcessor<?> processor, QueueActions queues, Backoff backoff, FunctionConfig config, Listener listener,
                OffloadedPayloads payloads, EventArchive archive) {
        this.payloads = payloads;
        this.archive = archive;
        this.processor = processor;
        this.queues = queues;
        this.backoff = backoff;
        this.config = config;
        this.retries = RetryPolicy.of(config);
        this.listener = listener;
    }

    /**
     * One SQS message of the batch. A batch body (D19) has several parts; their results are collected here and the
     * message is settled once all of them ran ({@link #finishBatchBody}).
     */
    private static final class Received {
        final SQSMessage message;
        final boolean batch;
        final int receiveCount;
        /** When SQS first delivered it (for an event re-queued from a batch body, the original's first receive); null if unknown. */
        final java.time.Instant firstReceived;
        /**
         * Per part (one for a message that is not a batch body): {@link #SETTLED}, a {@link Pending} retry, a
         * {@link Crashed} task, or null while no settlement reached it. Filled by the users' threads; only what is
         * SETTLED is acknowledged.
         */
        final java.util.concurrent.atomic.AtomicReferenceArray<Object> states;

        /** The events of its body, in order. */
        final List<MessageBody.Part> parts;
        /** The S3 objects its body was read from (D59). */
        final List<OffloadedPayloads.Pointer> offloaded;
        /** Parked as it arrived: the DLQ's body is the pointer, so its object must stay (D59). */
        volatile boolean parkedWhole;

        Received(SQSMessage message, boolean batch, int receiveCount, List<MessageBody.Part> parts, List<OffloadedPayloads.Pointer> offloaded) {
            this.message = message;
            this.offloaded = offloaded;
            this.batch = batch;
            this.parts = parts;
            this.receiveCount = receiveCount;
            this.firstReceived = QueueActions.firstReceivedAt(message);
            this.states = new java.util.concurrent.atomic.AtomicReferenceArray<>(parts.size());
        }
    }

    /** A part that must be retried: its verdict and the visibility it asks for. */
    private record Pending(Item item, Verdict verdict, int seconds) {}

    /** A part delivered, skipped or parked, its listeners told: the only state that is acknowledged. */
    private static final Object SETTLED = new Object();

    /** A part whose user's task threw before it settled: the throwable's class, never its message (it may hold personal data). */
    private record Crashed(String throwable) {}

    /** One event (a part of a message body) to process, in its ordering key's list. */
    private record Item(Received received, MessageBody.Part part, int index) {
        MessageBody.Message read() {
            return part.read();
        }

        /** The message's id, or for an event of a batch body {@code <id>#<n>}: in logs, and the deduplication key without a messageId. */
        String messageId() {
            return received.batch ? received.message.getMessageId() + "#" + (index + 1) : received.message.getMessageId();
        }

        /** What the listener sees: the message itself, or for an event of a batch body a copy named {@link #messageId()}. */
        SQSMessage view() {
            if (!received.batch) return received.message;
            SQSMessage m = received.message;
            SQSMessage copy = new SQSMessage();
            copy.setMessageId(messageId());
            copy.setReceiptHandle(m.getReceiptHandle());
            copy.setBody(part.text());
            copy.setAttributes(m.getAttributes());
            copy.setMessageAttributes(m.getMessageAttributes());
            copy.setEventSource(m.getEventSource());
            copy.setEventSourceArn(m.getEventSourceArn());
            copy.setAwsRegion(m.getAwsRegion());
            return copy;
        }
    }

    public SQSBatchResponse run(SQSEvent event, Context context) {
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, List<Item>> byOrderingKey = new LinkedHashMap<>();
        List<Received> received = new ArrayList<>();
        boolean fifo = false;
        for (SQSMessage m : records) {
            MessageBody.Contents contents = MessageBody.read(m.getBody(), payloads);
            String group = QueueActions.messageGroup(m);
            fifo |= group != null;
            Received r = new Received(m, contents.batch(), QueueActions.receiveCount(m), contents.parts(), contents.offloaded());
            received.add(r);
            for (int i = 0; i < contents.parts().size(); i++) {
                MessageBody.Part part = contents.parts().get(i);
                String user = part.read().event() == null ? null : part.read().event().orderingKey();
                boolean erasure = part.read().type() != null && part.read().type().erasure();
                String key = group != null ? "group:" + group : erasure ? ERASURE : user != null ? "user:" + user
                        : "message:" + m.getMessageId() + "#" + i;
                byOrderingKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Item(r, part, i));
            }
        }
        EventArchive.Write archived = archive.start(archivable(received), batchId(context), java.time.Instant.now()); // beside the deliveries
        BatchMemo memo = new BatchMemo();
        Map<SQSMessage, Integer> visibility = new ConcurrentHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean stopGroupOnFailure = fifo;
        // the batch's erasure messages first, in arrival order: a user deleted or suppressed in this batch has none of
        // its events in this batch written (README "User deletion")
        List<Item> erasures = byOrderingKey.remove(ERASURE);
        if (erasures != null) runInOrder(erasures, false, context, memo);
        List<Runnable> tasks = new ArrayList<>();
        for (List<Item> items : byOrderingKey.values()) {
            tasks.add(() -> runInOrder(items, stopGroupOnFailure, context, memo));
        }
        runConcurrently(tasks);
        for (Received r : received) finish(context, r, visibility, failures); // in arrival order: so is the response
        if (!visibility.isEmpty()) queues.changeVisibility(visibility);
        deleteSettledPayloads(received, failures);
        archived.await(); // never throws: a failed write is a metric, never a failed delivery
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The events of the batch that arrive for the first time ({@link QueueActions#firstArrival}), as read: the archive's lines (D53). */
    private List<EventArchive.Entry> archivable(List<Received> received) {
        if (!archive.on()) return List.of();
        List<EventArchive.Entry> entries = new ArrayList<>();
        for (Received r : received) {
            if (!QueueActions.firstArrival(r.message)) continue;
            for (int i = 0; i < r.parts.size(); i++) {
                MessageBody.Part part = r.parts.get(i);
                if (part.read().event() == null) continue; // not an event: parked as invalid_event, with its body, in the DLQ
                Item item = new Item(r, part, i);
                entries.add(new EventArchive.Entry(item.messageId(), part.text() != null ? part.text() : dev.destinations.mapping.Json.write(part.read().event().root())));
            }
        }
        return entries;
    }

    /** The invocation's request id (the logs' function_request_id), else a random one. */
    private static String batchId(Context context) {
        String id = context == null ? null : context.getAwsRequestId();
        return id != null && id.matches("[A-Za-z0-9-]{1,64}") ? id : java.util.UUID.randomUUID().toString();
    }

    /**
     * One user's (or FIFO group's) events, in order. Whatever throws here (an Error from a flow, a listener, this
     * class) ends the task: the events it had not settled are marked {@link Crashed} and retried by {@link #finish}.
     */
    private void runInOrder(List<Item> items, boolean fifo, Context context, BatchMemo memo) {
        try {
            runInOrderUnguarded(items, fifo, context, memo);
        } catch (Throwable t) {
            Crashed crashed = new Crashed(t.getClass().getName());
            for (Item item : items) item.received().states.compareAndSet(item.index(), null, crashed);
        }
    }

    private void runInOrderUnguarded(List<Item> items, boolean fifo, Context context, BatchMemo memo) {
        boolean blocked = false;
        java.util.Set<Received> retriedBodies = new java.util.HashSet<>(); // D19: a user's later events in that body wait
        for (Item item : items) {
            Verdict verdict;
            if (blocked) {
                verdict = Verdict.of(Reason.FIFO_GROUP_BLOCKED, "an earlier message of this FIFO group was not delivered");
            } else if (retriedBodies.contains(item.received())) {
                verdict = Verdict.of(Reason.USER_ORDER_BLOCKED, "an earlier event of this user in the message body is retried");
            } else if (context != null && context.getRemainingTimeInMillis() < config.deadlineMargin().toMillis()) {
                verdict = Verdict.of(Reason.DEADLINE, "not started: " + context.getRemainingTimeInMillis() + " ms left in the invocation");
            } else {
                // a call may wait for the rate budget, but not into the deadline margin
                long deadline = context == null ? Long.MAX_VALUE
                        : System.nanoTime() + (context.getRemainingTimeInMillis() - config.deadlineMargin().toMillis()) * 1_000_000L;
                verdict = processor.process(item.read(), item.messageId(), memo, deadline);
            }
            Outcome outcome = settle(context, item, verdict);
            if (outcome == Outcome.RETRIED) {
                blocked |= fifo;
                retriedBodies.add(item.received());
            }
        }
    }

    /**
     * Turns a verdict into the event's outcome: acknowledge, park or retry. An event of a batch body is parked
     * alone, with its own text; its retry is decided when the whole body has run ({@link #finishBatchBody}). A
     * retry is listed in the response by {@link #finish}; a delivered, skipped or parked event is marked settled once
     * the listener has seen it.
     */
    private Outcome settle(Context context, Item item, Verdict processed) {
        Outcome outcome;
        int receiveCount = item.received().receiveCount;
        Verdict verdict = retries.afterReceives(processed, receiveCount); // D11
        Verdict finalVerdict = verdict;
        if (verdict.delivered() && !scheduleSecondPass(item)) {
            outcome = Outcome.RETRIED;
            finalVerdict = new Verdict(Reason.SECOND_PASS_UNSCHEDULED, "the deletion was made; its second pass could not be put on the queue, so it is"
                    + " retried (deleting again is done)", 0, null, verdict.vendorCalls(), verdict.vendorMillis());
        } else if (verdict.delivered()) {
            outcome = Outcome.DELIVERED;
        } else if (verdict.disposition() == Reason.Disposition.SKIP) {
            outcome = Outcome.SKIPPED;
        } else {
            // retries end by time (RETRY_WINDOW_SECONDS since the first receive), or on the queue's last receive
            String exhausted = verdict.disposition() == Reason.Disposition.RETRY
                    ? retries.exhausted(verdict, receiveCount, item.received().firstReceived, java.time.Instant.now()) : null;
            boolean lastReceive = exhausted != null;
            if (verdict.disposition() == Reason.Disposition.PARK || lastReceive) {
                String detail = lastReceive ? exhausted : verdict.detail();
                if (park(item, verdict.reason(), detail, verdict.vendorStatus(), lastReceive)) {
                    outcome = Outcome.PARKED;
                    if (!item.received().batch) item.received().parkedWhole = true;
                } else {
                    outcome = Outcome.RETRIED;
                    finalVerdict = new Verdict(Reason.PARKING_FAILED, "the DLQ did not take the message (" + verdict.reason().code() + ": "
                            + verdict.detail() + ")", verdict.vendorStatus(), null, verdict.vendorCalls(), verdict.vendorMillis());
                }
            } else {
                outcome = Outcome.RETRIED;
            }
        }
        if (outcome == Outcome.RETRIED) {
            int seconds = finalVerdict.reason().retriesImmediately() ? 0 : backoff.visibilitySeconds(receiveCount, finalVerdict.retryAfter());
            Pending pending = new Pending(item, finalVerdict, seconds);
            if (!item.received().batch) listener.onOutcome(context, item.view(), eventType(item), outcome, finalVerdict);
            // an event of a batch body is reported once the body's retry is settled
            item.received().states.set(item.index(), pending);
            return outcome;
        }
        listener.onOutcome(context, item.view(), eventType(item), outcome, finalVerdict);
        item.received().states.set(item.index(), SETTLED);
        return outcome;
    }

    /**
     * A deletion made on its first pass is sent to its queue again, ERASURE_SECOND_PASS_SECONDS later (D62). The user
     * is suppressed before the vendor deletion, but a write of theirs that another instance had checked just before
     * is still in flight; it ends within the function's timeout, which the delay exceeds, so the second pass deletes
     * whatever it recreated (a user already gone counts as done). Not on a FIFO queue (no per-message delay there; a
     * group's order is the guard), nor with the setting 0, nor where the destination deletes nothing at its vendor
     * (D64). False only when the queue did not take it.
     */
    private boolean scheduleSecondPass(Item item) {
        MessageBody.Message read = item.read();
        SQSMessage m = item.received().message;
        if (read.type() != dev.destinations.mapping.EventType.USER_DELETION || !processor.deletesAtVendor() || config.erasureSecondPass().isZero() || QueueActions.secondPass(m)
                || QueueActions.messageGroup(m) != null) {
            return true;
        }
        // the event's own text in a batch body; else the body as it came, unless it was offloaded (its object is deleted once settled)
        String text = item.part().text() != null ? item.part().text()
                : item.received().offloaded.isEmpty() ? m.getBody() : dev.destinations.mapping.Json.write(read.event().root());
        return queues.sendSecondPass(m, text, (int) config.erasureSecondPass().toSeconds());
    }

    /**
     * Lists what is to be retried, once every task ran: a message is acknowledged only when each of its parts was
     * settled (or, for a batch body, its retried parts re-queued). A part that no settlement reached is retried as
     * INTERNAL_ERROR, with the class of what was thrown and never its message, and its listener is told.
     */
    private void finish(Context context, Received r, Map<SQSMessage, Integer> visibility, List<SQSBatchResponse.BatchItemFailure> failures) {
        List<Pending> crashed = new ArrayList<>();
        for (int i = 0; i < r.states.length(); i++) {
            Object state = r.states.get(i);
            if (state == SETTLED || state instanceof Pending) continue;
            String detail = state instanceof Crashed c ? "unexpected " + c.throwable() + " while delivering this user's events"
                    : "not settled by the batch runner";
            Item item = new Item(r, r.parts.get(i), i);
            Pending p = new Pending(item, Verdict.of(Reason.INTERNAL_ERROR, detail), backoff.visibilitySeconds(r.receiveCount, null));
            r.states.set(i, p);
            crashed.add(p);
        }
        if (r.batch) {
            finishBatchBody(context, r, visibility, failures);
            return;
        }
        if (!(r.states.get(0) instanceof Pending p)) return; // settled: acknowledged
        failures.add(new SQSBatchResponse.BatchItemFailure(r.message.getMessageId()));
        visibility.put(r.message, p.seconds());
        crashed.forEach(c -> report(context, c, Outcome.RETRIED, c.verdict())); // the others were reported when they settled
    }

    /**
     * Settles a batch body once each of its events ran (D19), so that a failed event is retried alone and no
     * delivered neighbour is written twice: when every event is to be retried, the message itself is retried (as
     * any message); when only some are, those are sent back to the source queue as one new batch body, in their
     * order, carrying the receive count, and the message is acknowledged. If the queue refuses that, they are
     * parked with reason requeue_failed (never lost, never written twice); only if the DLQ refuses too is the
     * whole message retried, the one path on which a delivered neighbour may be written again.
     */
    private void finishBatchBody(Context context, Received r, Map<SQSMessage, Integer> visibility, List<SQSBatchResponse.BatchItemFailure> failures) {
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < r.states.length(); i++) if (r.states.get(i) instanceof Pending p) pending.add(p);
        if (pending.isEmpty()) return;
        int seconds = pending.stream().mapToInt(Pending::seconds).max().orElse(0);
        if (pending.size() < r.states.length()) { // some events settled: only the others go round again
            java.util.StringJoiner body = new java.util.StringJoiner(",", "{\"batch\":[", "]}");
            for (Pending p : pending) body.add(p.item().part().text());
            if (queues.requeue(r.message, body.toString(), r.receiveCount, seconds)) {
                pending.forEach(p -> report(context, p, Outcome.RETRIED, p.verdict()));
                return;
            }
            List<Pending> refused = new ArrayList<>();
            for (Pending p : pending) {
                Verdict o = p.verdict();
                String detail = "the source queue did not take it back (" + o.reason().code() + ": " + o.detail() + ")";
                if (park(p.item(), Reason.REQUEUE_FAILED, detail, o.vendorStatus(), false)) {
                    report(context, p, Outcome.PARKED, new Verdict(Reason.REQUEUE_FAILED, detail, o.vendorStatus(), null, o.vendorCalls(), o.vendorMillis()));
                } else {
                    Verdict f = new Verdict(Reason.PARKING_FAILED, "neither the source queue nor the DLQ took it (" + o.reason().code() + ": "
                            + o.detail() + ")", o.vendorStatus(), null, o.vendorCalls(), o.vendorMillis());
                    refused.add(new Pending(p.item(), f, p.seconds()));
                }
            }
            if (refused.isEmpty()) return;
            pending = refused;
        }
        // every event is to be retried (or neither queue took them back): the message itself is retried
        failures.add(new SQSBatchResponse.BatchItemFailure(r.message.getMessageId()));
        visibility.put(r.message, seconds);
        pending.forEach(p -> report(context, p, Outcome.RETRIED, p.verdict()));
    }

    /**
     * D59: the S3 object of an offloaded body is deleted once its message leaves the queue (delivered, skipped, parked
     * event by event, or its retried events re-queued inline); not while the message is retried, and not when it was
     * parked as it arrived, since the DLQ's body is then the pointer.
     */
    private void deleteSettledPayloads(List<Received> received, List<SQSBatchResponse.BatchItemFailure> failures) {
        java.util.Set<String> retried = new java.util.HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : failures) retried.add(f.getItemIdentifier());
        for (Received r : received) {
            if (r.offloaded.isEmpty() || r.parkedWhole || retried.contains(r.message.getMessageId())) continue;
            r.offloaded.forEach(payloads::delete);
        }
    }

    /** Tells the listener about a part settled after the tasks ran; a listener that throws here changes nothing. */
    private void report(Context context, Pending p, Outcome outcome, Verdict verdict) {
        try {
            listener.onOutcome(context, p.item().view(), eventType(p.item()), outcome, verdict);
        } catch (Throwable ignored) {
            // the outcome is decided and listed; nothing is left for the listener to change
        }
    }

    /** Parks the event: the whole original body, or for an event of a batch body its own text. */
    private boolean park(Item item, Reason reason, String detail, int vendorStatus, boolean exhausted) {
        return queues.park(item.received().message, item.part().text(), item.index(),
                new QueueActions.Parking(processor.destination().slug(), reason.code(), detail, vendorStatus, exhausted));
    }

    /** The event type for the listener, as read once with the body. */
    private static String eventType(Item item) {
        return item.read().typeName();
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
                        task.run(); // never throws: runInOrder marks what a throw left unsettled
                    } finally {
                        permits.release();
                    }
                });
            }
        }
    }

    /** The handler's own listener: one structured log line per message and the EMF counters. */
    static Listener logsAndMetrics(JsonLog log, EmfMetrics metrics, String destination) {
        return (context, message, eventType, outcome, verdict) -> {
            String level = switch (outcome) {
                case DELIVERED, SKIPPED -> "INFO";
                case RETRIED -> "WARN";
                case PARKED -> "ERROR";
            };
            ObjectNode line = log.line(level, "message " + outcome.code());
            line.put("destination", destination);
            line.put("event_type", eventType);
            line.put("message_id", message.getMessageId());
            line.put("receive_count", QueueActions.receiveCount(message));
            line.put("outcome", outcome.code());
            if (verdict.reason() != null) line.put("reason", verdict.reason().code());
            if (verdict.detail() != null) line.put("detail", verdict.detail());
            if (verdict.vendorStatus() > 0) line.put("vendor_status", verdict.vendorStatus());
            if (!verdict.valuesCut().isEmpty()) verdict.valuesCut().forEach(line.putArray("values_cut")::add);
            line.put("vendor_calls", verdict.vendorCalls());
            line.put("vendor_latency_ms", verdict.vendorMillis());
            if (context != null && context.getAwsRequestId() != null) line.put("function_request_id", context.getAwsRequestId());
            // the Java runtime passes the trace header as a system property; custom runtimes as an environment variable
            String trace = System.getProperty("com.amazonaws.xray.traceHeader", System.getenv("_X_AMZN_TRACE_ID"));
            if (trace != null) line.put("xray_trace_id", trace);
            log.write(line);
            metrics.record(outcome, verdict.reason(), verdict.vendorCalls(), verdict.vendorMillis());
            verdict.valuesCut().forEach(metrics::valueCut);
        };
    }
}
