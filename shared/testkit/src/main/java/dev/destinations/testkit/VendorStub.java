package dev.destinations.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback that stands in for a vendor: records every request and answers through a
 * programmable {@link Responder} (default {@code 200 {}}). Used by unit tests, the conformance runner and the
 * local sandbox, so the functions' HTTP path is exercised for real.
 */
public final class VendorStub implements AutoCloseable {
    /** One recorded request, as it arrived on the wire. */
    public record Recorded(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {
        public String path() {
            return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        }

        /** Query parameters, percent-decoded; a repeated name keeps its last value. */
        public Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            if (rawQuery == null || rawQuery.isEmpty()) return q;
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                q.put(decode(k), decode(v));
            }
            return q;
        }

        /** A header's first value, by case-insensitive name, or null. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }

    /** How the stub answers one request. */
    public record Reply(int status, String body, Map<String, String> headers, Duration delay, boolean dropConnection) {
        public static Reply json(int status, String body) {
            return new Reply(status, body, Map.of("Content-Type", "application/json"), Duration.ZERO, false);
        }

        public static Reply status(int status) {
            return new Reply(status, "", Map.of(), Duration.ZERO, false);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, body, h, delay, dropConnection);
        }

        public Reply after(Duration d) {
            return new Reply(status, body, headers, d, dropConnection);
        }

        /** Close the connection without an answer (a reset, as the client sees it). */
        public static Reply drop() {
            return new Reply(0, "", Map.of(), Duration.ZERO, true);
        }
    }

    @FunctionalInterface
    public interface Responder {
        Reply answer(Recorded request);
    }

    private final HttpServer server;
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Responder responder = r -> Reply.json(200, "{}");

    private VendorStub(HttpServer server) {
        this.server = server;
    }

    public static VendorStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            VendorStub stub = new VendorStub(server);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the vendor stub", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public VendorStub respond(Responder r) {
        this.responder = r;
        return this;
    }

    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /**
     * Sends a request to this stub, for a test of a sandbox over real HTTP: {@code path} under {@link #baseUrl},
     * {@code body} null for none, {@code headers} as name, value pairs.
     */
    public java.net.http.HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path)).method(method,
                body == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    public void reset() {
        requests.clear();
        responder = r -> Reply.json(200, "{}");
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Recorded rec = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers, body);
            requests.add(rec);
            Reply reply;
            try {
                reply = responder.answer(rec);
            } catch (RuntimeException e) {
                reply = Reply.json(599, "{\"stub\":\"responder failed: " + e.getClass().getSimpleName() + "\"}");
            }
            if (!reply.delay().isZero()) Thread.sleep(reply.delay().toMillis());
            if (reply.dropConnection()) {
                ex.close();
                return;
            }
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            boolean noBody = reply.status() == 204 || reply.status() == 304 || bytes.length == 0;
            ex.sendResponseHeaders(reply.status(), noBody ? -1 : bytes.length);
            if (!noBody) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
