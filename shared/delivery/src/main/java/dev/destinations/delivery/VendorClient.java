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

    /** Sends and returns the answer whatever its status. Only a missing response throws (NETWORK). */
    public VendorResponse send(VendorRequest request) {
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
        VendorResponse response = sendFor(request, failureMessage);
        if (!response.ok()) throw Classifier.failure(response, failureMessage);
        return response;
    }

    /**
     * A lookup, or a write whose 404 the flow answers itself (Gainsight PX identify then creates, D23): a 2xx answer
     * is present, a 404 is empty, anything else throws the classified failure (D1).
     */
    public Optional<VendorResponse> find(VendorRequest request, String failureMessage) {
        VendorResponse response = sendFor(request, failureMessage);
        if (Classifier.notFound(response.status())) return Optional.empty();
        if (!response.ok()) throw Classifier.failure(response, failureMessage);
        return Optional.of(response);
    }

    /** {@link #send}, with the step's message in front of a transport failure too, so every failure names its step. */
    private VendorResponse sendFor(VendorRequest request, String failureMessage) {
        try {
            return send(request);
        } catch (Failure f) {
            throw f.reason() == Reason.NETWORK ? f.prefixed(failureMessage + ": ") : f;
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
