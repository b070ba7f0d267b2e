package dev.destinations.delivery;

import dev.destinations.mapping.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP transport for vendor calls: the JDK's client (no dependency, nothing extra to load at cold start),
 * HTTP/1.1, connect and request timeouts. Answers every status as a {@link VendorResponse}; only a missing
 * response becomes a {@link Failure} (NETWORK). One shared instance per function.
 */
public final class VendorHttp {
    /** What actually sends: the JDK client, or nothing at all while priming a SnapStart snapshot. */
    @FunctionalInterface
    interface Transport {
        VendorResponse send(HttpRequest request) throws IOException, InterruptedException;
    }

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private volatile Transport transport;
    /** Set only by {@link #inProcess}: answers requests as the flows built them, before any HTTP form exists. */
    private final Function<VendorRequest, VendorResponse> inProcessVendor;

    public VendorHttp(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.transport = jdkTransport(connectTimeout);
        this.inProcessVendor = null;
    }

    private VendorHttp(Duration requestTimeout, Transport transport, Function<VendorRequest, VendorResponse> inProcessVendor) {
        this.connectTimeout = requestTimeout;
        this.requestTimeout = requestTimeout;
        this.transport = transport;
        this.inProcessVendor = inProcessVendor;
    }

    /**
     * A transport that answers every request {@code 200 {"id":1}} without touching the network: for priming a
     * SnapStart snapshot, where requests are built and mapped for real but nothing may leave the machine.
     */
    public static VendorHttp offline() {
        return new VendorHttp(Duration.ofSeconds(1), request -> new VendorResponse(200, null, "{\"id\":1}"), null);
    }

    /**
     * A vendor inside this JVM that receives each {@link VendorRequest} as the flows built it (no URI, no JSON
     * text, no socket) and answers it: what the mapping benchmarks measure the mapping step with.
     */
    public static VendorHttp inProcess(Function<VendorRequest, VendorResponse> vendor) {
        return new VendorHttp(Duration.ofSeconds(1), request -> {
            throw new IllegalStateException("an in-process vendor never sends HTTP");
        }, vendor);
    }

    /** Drops pooled connections (after a SnapStart restore they belong to another machine's past). */
    public void reconnect() {
        transport = jdkTransport(connectTimeout);
    }

    private static Transport jdkTransport(Duration connectTimeout) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return request -> {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new VendorResponse(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
        };
    }

    public VendorResponse exchange(VendorRequest request, Map<String, String> headers) {
        if (inProcessVendor != null) return inProcessVendor.apply(request);
        HttpRequest http = build(request, headers);
        try {
            return send(http);
        } catch (IOException first) {
            // a pooled keep-alive connection may have died while the Lambda was frozen: repeat once if it is safe
            if (!request.idempotent() || first instanceof HttpTimeoutException) throw transport(first);
            try {
                return send(http);
            } catch (IOException second) {
                throw transport(second);
            }
        }
    }

    private VendorResponse send(HttpRequest http) throws IOException {
        try {
            return transport.send(http);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest build(VendorRequest request, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(request.url());
        } catch (IllegalArgumentException e) {
            throw new Failure(Reason.VALIDATION, "a value could not be placed in the vendor URL");
        }
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(request.body()));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).method(request.method(), body);
        headers.forEach(b::setHeader);
        request.headers().forEach(b::setHeader);
        return b.build();
    }

    private static Failure transport(IOException e) {
        String what = e instanceof HttpConnectTimeoutException ? "connect timeout"
                : e instanceof HttpTimeoutException ? "request timeout"
                : e instanceof ConnectException ? "connection refused"
                : e.getClass().getSimpleName();
        return new Failure(Reason.NETWORK, "no response from the vendor: " + what);
    }
}
