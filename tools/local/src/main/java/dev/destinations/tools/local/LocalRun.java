package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.MessageBody;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.lambda.Outcome;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The README's main job, with no AWS account: starts moto_server (or uses AWS_ENDPOINT_URL) and a vendor sandbox,
 * creates each function's queue, DLQ and secret from template.yaml ({@link FunctionEnvironment}), publishes the sample messages of {@code events/<function>/} to
 * the queues, delivers them through the real handlers the way Lambda's SQS event source does, prints each outcome
 * as it happens and a summary (delivered, skipped, parked with reasons, retried), then stops what it started.
 */
public final class LocalRun {
    private LocalRun() {}

    public static void main(String[] args) throws Exception {
        double failureRate = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--failure-rate") && i + 1 < args.length) failureRate = Double.parseDouble(args[++i]);
        }
        int exit = run(Path.of("events"), failureRate, System.out);
        System.exit(exit);
    }

    /** Returns 0 when every message settled (delivered, skipped or parked), 1 otherwise. */
    public static int run(Path eventsDir, double failureRate, PrintStream out) throws IOException, InterruptedException {
        Map<String, Integer> totals = new TreeMap<>();
        Map<String, Integer> parkedReasons = new TreeMap<>();
        List<String> dlqLines = new ArrayList<>();
        int unsettled = 0;
        List<String> violations = new ArrayList<>();
        try (MotoServer aws = MotoServer.start(); VendorStub vendor = VendorStub.start()) {
            VendorSandbox sandbox = new VendorSandbox(failureRate, 42);
            vendor.respond(sandbox);
            SqsClient sqs = aws.sqs();
            SecretsManagerClient secrets = aws.secrets();
            out.println("AWS endpoint " + aws.endpoint() + " (" + aws.origin() + "), vendor sandbox " + vendor.baseUrl());
            SamTemplate template = SamTemplate.load(eventsDir.toAbsolutePath().normalize().resolveSibling("template.yaml"));
            for (Functions.Spec function : Functions.ALL) {
                String slug = function.destination().slug();
                List<Path> files = eventFiles(eventsDir.resolve(slug));
                if (files.isEmpty()) continue;
                // the template's queue, DLQ, secret and environment; a stack name of its own (runs on one endpoint do not
                // collide), 5 receives and a 1-2 s backoff so a retried message settles within the run, and a deletion's second
                // pass (D62) 1 s after it, not 60
                FunctionEnvironment fn = FunctionEnvironment.create(sqs, secrets, template, eventsDir, function.logicalId(),
                        FunctionEnvironment.Overrides.uniqueStack("cs-destinations").maxReceiveCount(5).batchingWindow(Duration.ofMillis(200))
                                .env(Map.of("VENDOR_BASE_URL", sandbox.add(function, FunctionEnvironment.settings(eventsDir, function), vendor.baseUrl()),
                                        "RETRY_BASE_SECONDS", "1", "RETRY_MAX_SECONDS", "2", "ERASURE_SECOND_PASS_SECONDS", "1")));
                QueuePair queues = fn.queues();
                Map<String, String> env = fn.env();
                Map<String, String> fileOf = new ConcurrentHashMap<>();
                DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, sqs, secrets,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, message, type, result, outcome) -> {
                            String file = fileOf.getOrDefault(message.getBody(), "?");
                            String why = outcome.reason() == null ? outcome.vendorCalls() + " vendor call(s)"
                                    : outcome.reason().code() + ": " + outcome.detail();
                            out.printf("  %-13s %-28s %-10s %s%n", slug, file, result.code(), why);
                            totals.merge(result.code(), 1, Integer::sum);
                            if (result == Outcome.PARKED) parkedReasons.merge(outcome.reason().code(), 1, Integer::sum);
                        }));
                int sent = 0;
                for (Path file : files) {
                    for (String body : bodies(file)) {
                        String fileName = eventsDir.relativize(file).toString();
                        fileOf.put(body, fileName);
                        // an event of a batch body is reported (and re-queued) on its own text (D19)
                        for (MessageBody.Part part : MessageBody.read(body).parts()) if (part.text() != null) fileOf.put(part.text(), fileName);
                        sqs.sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
                        sent++;
                    }
                }
                out.println(function.logicalId() + ": published " + sent + " message(s) to " + queues.queueUrl());
                EventSourcePoller poller = new EventSourcePoller(sqs, queues.queueUrl(), queues.queueArn(), fn.batchSize(), fn.batchingWindow(), handler,
                        fn.timeoutSeconds() * 1000L);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long nextStatus = 0;
                for (int depth = sent; depth > 0 && System.nanoTime() < deadline; depth = QueuePair.depth(sqs, queues.queueUrl())) {
                    EventSourcePoller.Poll poll = poller.pollOnce(Duration.ofSeconds(1));
                    if (poll.received() > 0) {
                        out.printf("  %-13s .. batch of %d: %d settled, %d to retry%s; %d left on the queue%n", slug, poll.received(), poll.deleted(),
                                poll.reportedFailures(), poll.invocationFailed() ? " (the invocation failed)" : "", QueuePair.depth(sqs, queues.queueUrl()));
                    } else {
                        if (System.nanoTime() >= nextStatus) { // a message waiting out its retry backoff is invisible: say so, not nothing
                            out.printf("  %-13s .. waiting: %d message(s) in retry backoff or delayed, %d in the DLQ%n", slug, depth, QueuePair.depth(sqs, queues.dlqUrl()));
                            nextStatus = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                        }
                        Thread.sleep(200);
                    }
                }
                unsettled += QueuePair.depth(sqs, queues.queueUrl());
                for (Message m : sqs.receiveMessage(b -> b.queueUrl(queues.dlqUrl()).maxNumberOfMessages(10).messageAttributeNames("All")).messages()) {
                    var a = m.messageAttributes();
                    dlqLines.add("  " + slug + " DLQ: reason=" + value(a.get("reason")) + " detail=" + value(a.get("detail")));
                }
            }
            sandbox.violations().forEach(v -> violations.add("  contract: " + v));
        }
        out.println();
        out.println("summary: " + totals.getOrDefault("delivered", 0) + " delivered, " + totals.getOrDefault("skipped", 0) + " skipped, "
                + totals.getOrDefault("parked", 0) + " parked " + parkedReasons + ", " + totals.getOrDefault("retried", 0) + " retried (attempts), "
                + unsettled + " not settled, " + violations.size() + " request(s) broke a vendor contract");
        dlqLines.forEach(out::println);
        violations.forEach(out::println);
        return unsettled == 0 ? 0 : 1;
    }

    private static String value(software.amazon.awssdk.services.sqs.model.MessageAttributeValue v) {
        return v == null ? "-" : v.stringValue();
    }

    private static List<Path> eventFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("env.json")).sorted().toList();
        }
    }

    /** The message bodies of an SQS event file (the {@code sam local invoke -e} format). */
    static List<String> bodies(Path file) throws IOException {
        JsonNode event = Json.mapper().readTree(file.toFile());
        List<String> bodies = new ArrayList<>();
        event.path("Records").forEach(r -> bodies.add(r.path("body").asText()));
        return bodies;
    }
}
