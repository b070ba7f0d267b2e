package dev.destinations.delivery;

import dev.destinations.mapping.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP transport for vendor calls: the JDK's {@link HttpURLConnection}, HTTP/1.1, no proxy, no redirects,
 * connect and read timeouts. Answers every status as a {@link VendorResponse}; only a missing response becomes a
 * {@link Failure} (NETWORK). One shared instance per function.
 *
 * <p>Why not {@code java.net.http.HttpClient}: measured alone in a fresh JVM on a function's zip
 * ({@code bin/cold-start --shares}), its first request costs about 240 ms and 1,500 classes, against 30 ms and
 * 290 classes for HttpURLConnection, which the AWS SDK's url-connection client loads anyway. Keep-alive
 * connections are pooled by the JDK and expire after 5 s idle, so none survives a SnapStart restore.
 */
public final class VendorHttp {
    /** A request ready for the wire. */
    record Call(String method, URI uri, Map<String, String> headers, byte[] body) {}

    /** What actually sends: HttpURLConnection, or nothing at all while priming a SnapStart snapshot. */
    @FunctionalInterface
    interface Transport {
        VendorResponse send(Call call) throws IOException;
    }

    /** No response within the connect or read timeout: never repeated here, the request may be in flight. */
    static final class Timeout extends IOException {
        Timeout(boolean connecting, IOException cause) {
            super(connecting ? "connect timeout" : "request timeout", cause);
        }
    }

    /** What axios (the reference's client) sends; HttpURLConnection would otherwise send an HTML-first default. */
    private static final String DEFAULT_ACCEPT = "application/json, text/plain, */*";

    private final Transport transport;
    /** Set only by {@link #inProcess}: answers requests as the flows built them, before any HTTP form exists. */
    private final Function<VendorRequest, VendorResponse> inProcessVendor;

    public VendorHttp(Duration connectTimeout, Duration requestTimeout) {
        this(urlConnection(connectTimeout, requestTimeout), null);
    }

    private VendorHttp(Transport transport, Function<VendorRequest, VendorResponse> inProcessVendor) {
        this.transport = transport;
        this.inProcessVendor = inProcessVendor;
    }

    /**
     * A transport that answers every request {@code 200 {"id":1}} without touching the network: for priming a
     * SnapStart snapshot, where requests are built and mapped for real but nothing may leave the machine.
     */
    public static VendorHttp offline() {
        return new VendorHttp(call -> new VendorResponse(200, null, "{\"id\":1}"), null);
    }

    /**
     * A vendor inside this JVM that receives each {@link VendorRequest} as the flows built it (no URI, no JSON
     * text, no socket) and answers it: what the mapping benchmarks measure the mapping step with.
     */
    public static VendorHttp inProcess(Function<VendorRequest, VendorResponse> vendor) {
        return new VendorHttp(call -> {
            throw new IllegalStateException("an in-process vendor never sends HTTP");
        }, vendor);
    }

    public VendorResponse exchange(VendorRequest request, Map<String, String> headers) {
        if (inProcessVendor != null) return inProcessVendor.apply(request);
        Call call = build(request, headers);
        try {
            return transport.send(call);
        } catch (IOException first) {
            // a pooled keep-alive connection may have died while the Lambda was frozen: repeat once if it is safe
            if (!request.idempotent() || first instanceof Timeout) throw transport(first);
            try {
                return transport.send(call);
            } catch (IOException second) {
                throw transport(second);
            }
        }
    }

    private static Transport urlConnection(Duration connectTimeout, Duration requestTimeout) {
        int connectMillis = (int) Math.max(1, connectTimeout.toMillis());
        int readMillis = (int) Math.max(1, requestTimeout.toMillis());
        return call -> {
            HttpURLConnection c = (HttpURLConnection) call.uri().toURL().openConnection(Proxy.NO_PROXY);
            try {
                c.setConnectTimeout(connectMillis);
                c.setReadTimeout(readMillis);
                c.setInstanceFollowRedirects(false);
                c.setUseCaches(false);
                c.setRequestMethod(call.method());
                c.setRequestProperty("Accept", DEFAULT_ACCEPT);
                call.headers().forEach(c::setRequestProperty);
                if (call.body() != null) {
                    c.setDoOutput(true);
                    c.setFixedLengthStreamingMode(call.body().length);
                }
                try {
                    c.connect();
                } catch (SocketTimeoutException e) {
                    throw new Timeout(true, e);
                }
                try {
                    if (call.body() != null) {
                        try (OutputStream out = c.getOutputStream()) {
                            out.write(call.body());
                        }
                    }
                    int status = c.getResponseCode();
                    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                    String body;
                    if (in == null) {
                        body = "";
                    } else {
                        try (in) {
                            body = new String(in.readAllBytes(), StandardCharsets.UTF_8); // read to the end: the connection goes back to the pool
                        }
                    }
                    return new VendorResponse(status, c.getHeaderField("Retry-After"), body);
                } catch (SocketTimeoutException e) {
                    throw new Timeout(false, e);
                }
            } catch (IOException e) {
                c.disconnect();
                throw e;
            }
        };
    }

    private Call build(VendorRequest request, Map<String, String> headers) {
        URI uri;
        try {
            uri = URI.create(request.url());
            if (!uri.isAbsolute() || uri.getHost() == null) throw new IllegalArgumentException("not an absolute URL");
        } catch (IllegalArgumentException e) {
            throw new Failure(Reason.VALIDATION, "a value could not be placed in the vendor URL");
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(request.headers());
        byte[] body = request.body() == null ? null : Json.write(request.body()).getBytes(StandardCharsets.UTF_8);
        return new Call(request.method(), uri, all, body);
    }

    private static Failure transport(IOException e) {
        String what = e instanceof Timeout t ? t.getMessage()
                : e instanceof ConnectException ? "connection refused"
                : e.getClass().getSimpleName();
        return new Failure(Reason.NETWORK, "no response from the vendor: " + what);
    }
}
