package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.gate.Candidate;
import dev.destinations.delivery.gate.ConsentGate;
import dev.destinations.delivery.gate.DataControls;
import dev.destinations.delivery.gate.EventFilter;
import dev.destinations.delivery.gate.FilterGate;
import dev.destinations.delivery.gate.DuplicateGate;
import dev.destinations.delivery.gate.Gate;
import dev.destinations.delivery.gate.HandledTypesGate;
import dev.destinations.delivery.gate.IntegrationsGate;
import dev.destinations.delivery.gate.SettingsGate;
import dev.destinations.delivery.gate.SuppressionGate;
import dev.destinations.delivery.gate.TypeGate;
import dev.destinations.mapping.Event;
import dev.destinations.mapping.EventType;
import dev.destinations.mapping.Lookup;
import dev.destinations.mapping.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes one message body to one {@link Verdict}: parse, the {@linkplain #gates gates} (type, {@code integrations},
 * handled types, suppression, settings and API key, consent, event filter, deduplication), then the destination's flow,
 * without the fields the settings drop ({@code dropFields}); or, for an erasure message, the deletion or the
 * suppression store ({@link #delete}, {@link #suppression}). Every failure is classified here, once; this method never throws. Thread-safe.
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
    private final List<Gate<S>> gates;
    private final Suppressions suppressions;
    private final java.util.function.Function<String, Map<String, String>> headers;
    private volatile Parsed<S> parsed;

    private record Parsed<S>(JsonNode merged, S settings, DataControls controls) {}

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
        this(destination, settingsSource, http, baseUrlOverride, circuit, budget, known, delivered, suppressions, EventFilter.NONE);
    }

    /** @param blockedTrackEvents the template's blocked event names (BLOCKED_TRACK_EVENTS, D61), whatever the settings say */
    public EventProcessor(Destination<S> destination, SettingsSource settingsSource, VendorHttp http, String baseUrlOverride, Circuit circuit,
                          RateBudget budget, KnownIds known, DeliveredEvents delivered, Suppressions suppressions, EventFilter blockedTrackEvents) {
        this.gates = gates(destination, delivered, suppressions, blockedTrackEvents);
        this.suppressions = suppressions;
        this.circuit = circuit;
        this.budget = budget;
        this.known = known;
        this.destination = destination;
        this.settingsSource = settingsSource;
        this.http = http;
        this.baseUrlOverride = BaseUrl.override(baseUrlOverride); // the one place it is trimmed
        this.headers = VendorClient.headersForLastKey(destination::headers);
    }

    /**
     * The checks every event passes before its flow, in their order (docs/architecture.md "The gates"): the first
     * that stops an event decides its verdict. A new check is a new {@link Gate} here, with its own test.
     */
    static <S> List<Gate<S>> gates(Destination<S> destination, DeliveredEvents delivered, Suppressions suppressions, EventFilter blockedTrackEvents) {
        return List.of(
                new TypeGate<>(destination),          // type missing or unknown: invalid_event
                new IntegrationsGate<>(destination),  // integrations switches this destination off: disabled
                new HandledTypesGate<>(destination),  // a type it does not deliver: not_handled
                new SuppressionGate<>(destination, suppressions), // its user deleted or suppressed here: suppressed (fails closed)
                new SettingsGate<>(),                 // settings invalid or no API key: configuration
                new ConsentGate<>(),                  // the user denied a consent this destination needs: consent_denied
                new FilterGate<>(blockedTrackEvents), // the event filter or the template's blocked names keep it out: filtered
                new DuplicateGate<>(destination, delivered)); // a non-idempotent write already delivered: duplicate
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
        EventType type = message.type();
        Credentials credentials = new SettingsCredentials(type);
        Candidate<S> candidate = new Candidate<>(event, type, sqsId, this::settings, this::controls, credentials);
        VendorClient vendor = null;
        String apiKey = null;
        boolean written = false;
        try {
            for (Gate<S> gate : gates) {
                Verdict stop = gate.check(candidate);
                if (stop != Gate.PASS) return redacted(stop, event, null);
            }
            S settings = candidate.settings();
            apiKey = credentials.apiKey();
            vendor = new VendorClient(http, headers, credentials, circuit, budget, deadlineNanos);
            if (Erasure.STORE_TYPES.contains(type)) return suppression(event, type);
            Delivery delivery = new Delivery(vendor, destination.baseUrl(settings, baseUrlOverride), batchMemo, known);
            if (type == EventType.USER_DELETION) return delete(event, candidate.sqsId(), settings, delivery);
            deliverOnce(candidate.controls().withoutDroppedFields(event), type, settings, delivery);
            written = true;
            return Verdict.delivered(vendor.calls(), vendor.millis(), delivery.valuesCut());
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
        } finally {
            candidate.settle(written);
        }
    }

    /**
     * A deletion (D48-D51): the users are suppressed first, so no event of theirs is written while or after they are
     * deleted; then the destination deletes them at the vendor; then the receipt records each call. A failed
     * deletion still leaves its receipt (the calls made, the failing status) and is retried: deleting again is a 404.
     * A destination that cannot delete at its vendor still suppresses, and its receipt lists no call (D64).
     */
    private Verdict delete(Event event, String sqsId, S settings, Delivery delivery) {
        List<String> ids = Erasure.userIds(event);
        if (suppressions.enabled()) suppressions.suppress(ids);
        String requestId = Erasure.requestId(event, sqsId);
        try {
            if (deletesAtVendor()) destination.deliver(event, EventType.USER_DELETION, settings, delivery);
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

    /** Whether this destination deletes users at its vendor (its handledTypes() has userDeletion); every one suppresses them (D64). */
    public boolean deletesAtVendor() {
        return destination.handledTypes().contains(EventType.USER_DELETION);
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

    private S settings() {
        return parsed().settings();
    }

    private DataControls controls() {
        return parsed().controls();
    }

    private Parsed<S> parsed() {
        JsonNode merged = settingsSource.current();
        Parsed<S> p = parsed;
        if (p == null || p.merged() != merged) {
            p = new Parsed<>(merged, destination.settings(merged), DataControls.parse(merged));
            parsed = p;
        }
        return p;
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
