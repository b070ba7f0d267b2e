package dev.destinations.delivery;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A destination's view of its vendor for one message: adds the authentication headers, repeats a call once
 * with a refreshed key after a 401 (D15), classifies answers through {@link Classifier}, and counts the calls and
 * the time spent waiting. Every call first passes the instance's {@link Circuit} and {@link RateBudget}, which
 * may refuse it (CIRCUIT_OPEN, RATE_LIMITED) before anything is sent. Not thread-safe: one per message.
 *
 * <p>Each method states what the flow expects of the answer, so no flow reads a status itself:
 * <pre>
 * call            2xx                                   anything else fails
 * find            2xx present, 404 empty (D1)           anything else fails
 * require         2xx                                   404 fails as the flow says (D11), anything else fails
 * delete          2xx or 404 done                       anything else fails
 * updateOrCreate  update 2xx, or on 404 create 2xx     anything else fails
 * </pre>
 * How a failure is classified is {@link Classifier}'s; what it says is the {@link Step}'s.
 */
public final class VendorClient {
    private final VendorHttp http;
    private final Function<String, Map<String, String>> headers;
    private final Credentials credentials;
    private final Circuit circuit;
    private final RateBudget budget;
    private final long deadlineNanos;
    private int calls;
    private long nanos;

    public VendorClient(VendorHttp http, Function<String, Map<String, String>> headers, Credentials credentials) {
        this(http, headers, credentials, Circuit.never(), RateBudget.unlimited(), Long.MAX_VALUE);
    }

    /** @param deadlineNanos ({@link System#nanoTime()}) after which a call may not wait for its rate budget */
    public VendorClient(VendorHttp http, Function<String, Map<String, String>> headers, Credentials credentials,
                        Circuit circuit, RateBudget budget, long deadlineNanos) {
        this.http = http;
        this.headers = headers;
        this.credentials = credentials;
        this.circuit = circuit;
        this.budget = budget;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * The destination's headers, built again only when the key changes: building them for every call was a
     * seventh of a Custify track's mapping time. Safe to share between threads.
     */
    public static Function<String, Map<String, String>> headersForLastKey(Function<String, Map<String, String>> headers) {
        record Built(String key, Map<String, String> headers) {}
        AtomicReference<Built> last = new AtomicReference<>();
        return key -> {
            Built b = last.get();
            if (b == null || !Objects.equals(b.key(), key)) {
                b = new Built(key, headers.apply(key));
                last.set(b);
            }
            return b.headers();
        };
    }

    /**
     * What a step's failure says: a fixed message, followed by the status and an excerpt of the body, which also
     * leads a transport failure's detail ({@link #named}); or a text the flow builds from the answer, as a
     * reference that puts the vendor's error text in its message does, followed by the status only ({@link
     * #describedBy}; a transport failure keeps its own detail).
     */
    public static final class Step {
        private final String message;
        private final Function<VendorResponse, String> text;

        private Step(String message, Function<VendorResponse, String> text) {
            this.message = message;
            this.text = text;
        }

        public static Step named(String message) {
            return new Step(Objects.requireNonNull(message), null);
        }

        public static Step describedBy(Function<VendorResponse, String> text) {
            return new Step(null, Objects.requireNonNull(text));
        }

        Failure failure(VendorResponse response) {
            return message != null ? Classifier.failure(response, message) : Classifier.failureWithText(response, text.apply(response));
        }

        Failure network(Failure f) {
            return message != null ? f.prefixed(message + ": ") : f;
        }
    }

    /** Sends and returns the answer whatever its status. Only a missing response throws (NETWORK). For the methods below and tests. */
    VendorResponse send(VendorRequest request) {
        VendorResponse response = exchange(request);
        if (response.status() == 401) {
            credentials.refresh();
            response = exchange(request);
        }
        return response;
    }

    /** Sends and returns a 2xx answer; any other answer throws the classified failure. */
    public VendorResponse call(VendorRequest request) {
        return call(request, defaultMessage(request));
    }

    /** As {@link #call(VendorRequest)}, with the reference's message for this step leading the failure detail. */
    public VendorResponse call(VendorRequest request, String failureMessage) {
        return call(request, Step.named(failureMessage));
    }

    public VendorResponse call(VendorRequest request, Step step) {
        VendorResponse response = sendFor(request, step);
        if (!response.ok()) throw step.failure(response);
        return response;
    }

    /** A lookup: a 2xx answer is present, a 404 is empty, anything else throws the classified failure (D1). */
    public Optional<VendorResponse> find(VendorRequest request, String failureMessage) {
        return find(request, Step.named(failureMessage));
    }

    public Optional<VendorResponse> find(VendorRequest request, Step step) {
        VendorResponse response = sendFor(request, step);
        if (Classifier.notFound(response.status())) return Optional.empty();
        if (!response.ok()) throw step.failure(response);
        return Optional.of(response);
    }

    /**
     * A record the flow cannot go on without: a 2xx answer is returned; a 404 throws what {@code absent} makes of
     * the answer (usually {@link Delivery#notFound}, D11); anything else throws the classified failure.
     */
    public VendorResponse require(VendorRequest request, Step step, Function<VendorResponse, Failure> absent) {
        VendorResponse response = sendFor(request, step);
        if (Classifier.notFound(response.status())) throw absent.apply(response);
        if (!response.ok()) throw step.failure(response);
        return response;
    }

    /** A delete: a 2xx answer and a 404 (nothing left to delete) are done and returned; anything else throws the classified failure. */
    public VendorResponse delete(VendorRequest request, Step step) {
        VendorResponse response = sendFor(request, step);
        if (!response.ok() && !Classifier.notFound(response.status())) throw step.failure(response);
        return response;
    }

    /**
     * An update that creates what is not there: {@code update}, and when it answers 404 {@code create} (Gainsight PX
     * identify D23, account D3). Returns the 2xx answer of the call that wrote; anything else throws, classified.
     */
    public VendorResponse updateOrCreate(VendorRequest update, Step updateStep, VendorRequest create, Step createStep) {
        return find(update, updateStep).orElseGet(() -> call(create, createStep));
    }

    /** {@link #send}, with the step's message in front of a transport failure too, so every failure names its step. */
    private VendorResponse sendFor(VendorRequest request, Step step) {
        try {
            return send(request);
        } catch (Failure f) {
            throw f.reason() == Reason.NETWORK ? step.network(f) : f;
        }
    }

    public int calls() {
        return calls;
    }

    public long millis() {
        return nanos / 1_000_000;
    }

    private VendorResponse exchange(VendorRequest request) {
        String key = credentials.apiKey();
        circuit.admit();
        try {
            budget.acquire(deadlineNanos);
        } catch (Failure notSent) {
            circuit.abandoned();
            throw notSent;
        }
        long start = System.nanoTime();
        calls++;
        boolean answered = false;
        try {
            VendorResponse response = http.exchange(request, headers.apply(key));
            answered = true;
            // the circuit counts what says the vendor is down: 408 and 5xx (the classifier's VENDOR_UNAVAILABLE)
            if (!response.ok() && Classifier.reasonFor(response.status()) == Reason.VENDOR_UNAVAILABLE) circuit.failed();
            else circuit.succeeded();
            return response;
        } finally {
            if (!answered) circuit.failed(); // no answer (NETWORK)
            nanos += System.nanoTime() - start;
        }
    }

    /** "POST /people failed": method and path only, never the query (it may hold an email). */
    static String defaultMessage(VendorRequest request) {
        String url = request.url();
        int q = url.indexOf('?');
        String noQuery = q < 0 ? url : url.substring(0, q);
        int host = noQuery.indexOf("://");
        int pathStart = host < 0 ? 0 : noQuery.indexOf('/', host + 3);
        String path = pathStart < 0 ? "/" : noQuery.substring(pathStart);
        return request.method() + " " + path + " failed";
    }
}
