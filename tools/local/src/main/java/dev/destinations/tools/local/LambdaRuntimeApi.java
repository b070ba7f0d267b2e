package dev.destinations.tools.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A local implementation of the Lambda Runtime API (the endpoints AWS's runtime interface client talks to):
 * {@code GET /2018-06-01/runtime/invocation/next} hands out queued events, {@code .../response} and
 * {@code .../error} complete them, {@code .../init/error} reports a failed init. With it, handler lookup, event
 * deserialisation, the Context and error shapes are the runtime client's own.
 */
public final class LambdaRuntimeApi implements AutoCloseable {
    /** How one invocation ended: the function's response, or its error document and type. */
    public record Completion(boolean error, String body, String errorType) {}

    private record Pending(String requestId, String event, long deadlineMs, CompletableFuture<Completion> done) {}

    private final HttpServer server;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final java.util.Map<String, Pending> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<Completion> initError = new CompletableFuture<>();
    private final String functionArn;

    public LambdaRuntimeApi(String functionName) throws IOException {
        this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes when the function answers, or with the init error. */
    public CompletableFuture<Completion> invoke(String event, long timeoutMillis) {
        String id = java.util.UUID.randomUUID().toString();
        Pending p = new Pending(id, event, System.currentTimeMillis() + timeoutMillis, new CompletableFuture<>());
        queue.add(p);
        initError.thenAccept(p.done()::complete);
        return p.done();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.endsWith("/invocation/next")) {
                Pending p = queue.take();
                inFlight.put(p.requestId(), p);
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", p.requestId());
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(p.deadlineMs()));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                // the runtime client's native code reads every one of these headers: absent ones crash it
                ex.getResponseHeaders().add("Lambda-Runtime-Client-Context", "");
                ex.getResponseHeaders().add("Lambda-Runtime-Cognito-Identity", "");
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Tenant-Id", "");
                ex.getResponseHeaders().add("Content-Type", "application/json");
                byte[] bytes = p.event().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
                return;
            }
            String errorType = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
            if (path.endsWith("/init/error")) {
                initError.complete(new Completion(true, body, errorType));
            } else {
                String[] parts = path.split("/");
                String id = parts.length >= 2 ? parts[parts.length - 2] : "";
                Pending p = inFlight.remove(id);
                if (p != null) p.done().complete(new Completion(path.endsWith("/error"), body, errorType));
            }
            ex.sendResponseHeaders(202, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
