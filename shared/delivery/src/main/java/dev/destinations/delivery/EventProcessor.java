package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes one message body to one {@link Verdict}: parse, type check, {@code integrations} check, settings, API key,
 * then the destination's flow. Every failure is classified here, once; this method never throws. Thread-safe.
 */
public final class EventProcessor<S> {
    private static final String[] PERSONAL_KEYS = {"email", "phone", "name", "firstName", "lastName"};
    /** The types that may come from a visitor nobody has identified yet (D20). */
    private static final java.util.Set<EventType> ANONYMOUS_TRAFFIC = java.util.EnumSet.of(EventType.TRACK, EventType.PAGE, EventType.SCREEN);

    private final Destination<S> destination;
    private final SettingsSource settingsSource;
    private final VendorHttp http;
    private final String baseUrlOverride;
    private final Circuit circuit;
    private final RateBudget budget;
    private final KnownIds known;
    private final DeliveredEvents delivered;
    private final Suppressions suppressions;
    private final java.util.function.Function<String, Map<String, String>> headers;
    private volatile Parsed<S> parsed;

    private record Parsed<S>(JsonNode merged, S settings) {}

    /** @param baseUrlOverride the base-URL setting, or null */
    public EventProcessor(Destination<S> destination, SettingsSource settingsSource, VendorHttp http, String baseUrlOverride) {
        this(destination, settingsSource, http, baseUrlOverride, Circuit.never(), RateBudget.unlimited(), KnownIds.none(), DeliveredEvents.none());
    }

    /**
     * @param circuit and {@code budget}: this instance's, shared by every message it delivers
     * @param known   what this instance remembers across batches (D24), likewise shared
     * @param delivered the non-idempotent writes already delivered (README "Duplicate events"), shared by every instance
     */
    public EventProcessor(Destination<S> destination, SettingsSource settingsSource, VendorHttp http,
                          String baseUrlOverride, Circuit circuit, RateBudget budget, KnownIds known, DeliveredEvents delivered) {
        this(destination, settingsSource, http, baseUrlOverride, circuit, budget, known, delivered, Suppressions.none());
    }

    /** @param suppressions the users deleted or suppressed at this destination, and the deletion receipts (D49-D51) */
    public EventProcessor(Destination<S> destination, SettingsSource settingsSource, VendorHttp http, String baseUrlOverride,
                          Circuit circuit, RateBudget budget, KnownIds known, DeliveredEvents delivered, Suppressions suppressions) {
        this.suppressions = suppressions;
        this.delivered = delivered;
        this.circuit = circuit;
        this.budget = budget;
        this.known = known;
        this.destination = destination;
        this.settingsSource = settingsSource;
        this.http = http;
        this.baseUrlOverride = BaseUrl.override(baseUrlOverride); // the one place it is trimmed
        this.headers = VendorClient.headersForLastKey(destination::headers);
    }

    public Destination<S> destination() {
        return destination;
    }

    /** Reads ({@link MessageBody#readOne}) and processes one body. */
    public Verdict process(String body, BatchMemo batchMemo) {
        return process(MessageBody.readOne(body), null, batchMemo, Long.MAX_VALUE);
    }

    /**
     * @param sqsId         the SQS message id ({@code <id>#<n>} for an event of a batch body): the deduplication key
     *                      of an event without a {@code messageId}; null for none
     * @param deadlineNanos ({@link System#nanoTime()}) after which no vendor call waits for the rate budget
     */
    public Verdict process(MessageBody.Message message, String sqsId, BatchMemo batchMemo, long deadlineNanos) {
        if (message.invalid() != null) return message.invalid();
        Event event = message.event();
        VendorClient vendor = null;
        String apiKey = null;
        EventType type = message.type();
        try {
            String typeText = event.typeText();
            if (typeText == null) return Verdict.of(Reason.INVALID_EVENT, destination.missingTypeMessage());
            if (type == null) {
                return Verdict.of(Reason.INVALID_EVENT, redact(destination.unknownTypeMessage(typeText.toLowerCase()), event, null));
            }
            if (event.disabledFor(destination.integrationNames())) {
                return Verdict.of(Reason.DISABLED, "the event's integrations object disables " + destination.slug());
            }
            if (Erasure.STORE_TYPES.contains(type)) return suppression(event, type);
            if (!destination.handledTypes().contains(type)) {
                return Verdict.of(Reason.NOT_HANDLED, destination.slug() + " does not handle " + type.wireName() + " events");
            }
            if (!type.erasure()) { // D49: before any vendor call, whatever route the event came by
                String subject = Erasure.subject(event);
                if (subject != null && suppressions.suppressed(subject)) {
                    return Verdict.of(Reason.SUPPRESSED, "the event's user was deleted or suppressed at " + destination.slug());
                }
            }
            S settings = settings();
            Credentials credentials = new SettingsCredentials(type);
            apiKey = credentials.apiKey(); // D8: no key, no call
            vendor = new VendorClient(http, headers, credentials, circuit, budget, deadlineNanos);
            String baseUrl = destination.baseUrl(settings, baseUrlOverride);
            Delivery delivery = new Delivery(vendor, baseUrl, batchMemo, known);
            String key = destination.deduplicates(type, settings) ? deduplicationKey(event, sqsId) : null;
            if (key != null) {
                switch (delivered.claim(key)) {
                    case ALREADY_DELIVERED -> {
                        return Verdict.of(Reason.DUPLICATE, "messageId already delivered to " + destination.slug() + " within the deduplication window");
                    }
                    case IN_FLIGHT -> {
                        return Verdict.of(Reason.IN_FLIGHT, "another delivery of this messageId is writing it; its claim expires before the next receive");
                    }
                    case UNAVAILABLE -> key = null; // delivered at least once, as without the store (the store logged why)
                    case CLAIMED -> { }
                }
            }
            if (type == EventType.USER_DELETION) return delete(event, sqsId, settings, delivery);
            boolean written = false;
            try {
                deliverOnce(event, type, settings, delivery);
                written = true;
            } finally {
                if (key != null) {
                    if (written) delivered.complete(key);
                    else delivered.release(key);
                }
            }
            return Verdict.delivered(vendor.calls(), vendor.millis());
        } catch (Failure f) {
            // a "not found" stays DEPENDENCY_NOT_READY here: the batch runner's RetryPolicy knows the receive count (D11)
            return redacted(Verdict.of(f, calls(vendor), millis(vendor)), event, apiKey);
        } catch (ValidationException e) {
            // D20: anonymous traffic is skipped, not parked; identify or group without identity is a producer bug
            Reason reason = e.missingIdentity() && ANONYMOUS_TRAFFIC.contains(type) ? Reason.UNIDENTIFIED : Reason.VALIDATION;
            return redacted(new Verdict(reason, e.getMessage(), 0, null, calls(vendor), millis(vendor)), event, apiKey);
        } catch (RuntimeException | StackOverflowError e) {
            // our bug: retried, and a poison message reaches the DLQ by receive count with this detail
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            String detail = "unexpected " + e.getClass().getSimpleName() + (at == null ? "" : " at " + at);
            return new Verdict(Reason.INTERNAL_ERROR, detail, 0, null, calls(vendor), millis(vendor));
        }
    }

    /**
     * A deletion (D48-D51): the users are suppressed first, so no event of theirs is written while or after they are
     * deleted; then the destination deletes them at the vendor; then the receipt records each call. A failed
     * deletion still leaves its receipt (the calls made, the failing status) and is retried: deleting again is a 404.
     */
    private Verdict delete(Event event, String sqsId, S settings, Delivery delivery) {
        List<String> ids = Erasure.userIds(event);
        if (suppressions.enabled()) suppressions.suppress(ids);
        String requestId = Erasure.requestId(event, sqsId);
        try {
            destination.deliver(event, EventType.USER_DELETION, settings, delivery);
        } catch (Failure failed) {
            try {
                if (suppressions.enabled()) suppressions.receipt(requestId, ids, delivery.erased());
            } catch (Failure receiptFailed) {
                // the deletion's own failure decides: it is retried, and its next attempt writes the receipt
            }
            throw failed;
        }
        if (suppressions.enabled()) suppressions.receipt(requestId, ids, delivery.erased());
        return Verdict.delivered(delivery.vendor().calls(), delivery.vendor().millis());
    }

    /** {@code suppress} / {@code unsuppress} (D50): the store alone, no vendor call; without a store, CONFIGURATION (retried). */
    private Verdict suppression(Event event, EventType type) {
        List<String> ids = Erasure.userIds(event);
        if (type == EventType.SUPPRESS) suppressions.suppress(ids);
        else suppressions.lift(ids);
        return Verdict.delivered(0, 0);
    }

    private void deliverOnce(Event event, EventType type, S settings, Delivery delivery) {
        try {
            destination.deliver(event, type, settings, delivery);
        } catch (Failure f) {
            // a record remembered from an earlier batch was deleted at the vendor: forget it, deliver again from lookups
            if (!Classifier.notFound(f.vendorStatus()) || !delivery.forgetRecalled()) throw f;
            destination.deliver(event, type, settings, delivery);
        }
    }

    /**
     * {@code <destination>#<messageId>}, else {@code <destination>#<SQS message id>} (for an event of a batch body
     * {@code <id>#<n>}, so a redelivery of the body finds it); null when there is neither.
     */
    private String deduplicationKey(Event event, String sqsId) {
        JsonNode id = event.root().get("messageId");
        String messageId = id != null && (id.isTextual() || id.isNumber()) && !id.asText().isBlank() ? id.asText() : sqsId;
        return messageId == null ? null : destination.slug() + "#" + messageId;
    }

    private S settings() {
        JsonNode merged = settingsSource.current();
        Parsed<S> p = parsed;
        if (p == null || p.merged() != merged) {
            p = new Parsed<>(merged, destination.settings(merged));
            parsed = p;
        }
        return p.settings();
    }

    /** Asks the settings source for the key each time, so a refreshed secret is used at once. */
    private final class SettingsCredentials implements Credentials {
        private final EventType type;

        SettingsCredentials(EventType type) {
            this.type = type;
        }

        @Override
        public String apiKey() {
            String key = settingsSource.apiKey();
            if (key == null || key.isBlank()) throw new Failure(Reason.CONFIGURATION, destination.missingApiKeyMessage(type));
            return key;
        }

        @Override
        public void refresh() {
            settingsSource.refresh();
        }
    }

    private static Verdict redacted(Verdict o, Event event, String apiKey) {
        return new Verdict(o.reason(), redact(o.detail(), event, apiKey), o.vendorStatus(), o.retryAfter(), o.vendorCalls(), o.vendorMillis());
    }

    private static String redact(String detail, Event event, String apiKey) {
        List<String> sensitive = new ArrayList<>();
        if (apiKey != null) sensitive.add(apiKey);
        for (String key : PERSONAL_KEYS) sensitive.add(Lookup.generic(key).findText(event.root()));
        return Redactor.redact(detail, sensitive);
    }

    private static int calls(VendorClient v) {
        return v == null ? 0 : v.calls();
    }

    private static long millis(VendorClient v) {
        return v == null ? 0 : v.millis();
    }
}
