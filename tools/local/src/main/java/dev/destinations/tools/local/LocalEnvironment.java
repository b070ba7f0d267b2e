package dev.destinations.tools.local;

import dev.destinations.lambda.DestinationHandler;
import dev.destinations.mapping.Json;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import dev.destinations.tools.StubbedFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bin/local stack [--failure-rate R] [--port P] [--stack-name NAME]}: the deployed stack, on this machine.
 * Starts moto_server (or uses AWS_ENDPOINT_URL, e.g. the LocalStack emulator), creates every function's
 * {@link FunctionEnvironment} from template.yaml (queue, DLQ and secret as the template declares them, with stack name
 * {@code local}; secrets with a dummy apiKey; settings from {@code events/<slug>/env.json}), starts the
 * {@link VendorSandbox}, and polls every queue continuously with {@link EventSourcePoller}, invoking the function's
 * real handler as Lambda's SQS event source would (batch size and window from the template, partial batch
 * responses; visibility timeout and redrive are the queue's). Prints one line per message outcome and per vendor
 * request until closed (Ctrl-C / SIGTERM from the command line), then stops what it started. (Named for what it is,
 * the local environment of every function, not to be confused with the LocalStack emulator of {@code bin/localstack}.)
 */
public final class LocalEnvironment implements AutoCloseable {
    /** The dummy key in every secret: the sandbox takes any key. */
    public static final String LOCAL_API_KEY = FunctionEnvironment.LOCAL_API_KEY;

    /**
     * @param batchingWindow null = each function's MaximumBatchingWindowInSeconds (tests shorten it)
     * @param port           moto_server's port, null = a free one (ignored when AWS_ENDPOINT_URL is set)
     */
    public record Options(Path root, String stackName, double failureRate, long seed, Integer port, Duration batchingWindow) {
        public static Options defaults(Path root) {
            return new Options(root, "local", 0, 42, null, null);
        }

        public Options withStackName(String name) {
            return new Options(root, name, failureRate, seed, port, batchingWindow);
        }

        public Options withFailureRate(double rate) {
            return new Options(root, stackName, rate, seed, port, batchingWindow);
        }

        public Options withPort(Integer p) {
            return new Options(root, stackName, failureRate, seed, p, batchingWindow);
        }

        public Options withBatchingWindow(Duration window) {
            return new Options(root, stackName, failureRate, seed, port, window);
        }
    }

    /** A message outcome the stack saw (the handler's own listener). */
    public record Seen(String functionId, String messageId, String eventType, String outcome, String reason, String detail) {}

    private final Options options;
    private final PrintStream out;
    private final LocalAws aws;
    private final SqsClient sqs;
    /** The tables the functions' environment names (deduplication, erasure); also the functions' own client. */
    private final software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb;
    private final VendorStub vendor;
    private final List<FunctionEnvironment> functions = new ArrayList<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path logDir;

    private LocalEnvironment(Options options, PrintStream out, LocalAws aws, VendorStub vendor, Path logDir) {
        this.options = options;
        this.out = out;
        this.aws = aws;
        this.sqs = aws.sqs();
        this.dynamoDb = aws.dynamoDb();
        this.vendor = vendor;
        this.logDir = logDir;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.defaults(Path.of("."));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--failure-rate" -> o = o.withFailureRate(Double.parseDouble(args[++i]));
                case "--port" -> o = o.withPort(Integer.parseInt(args[++i]));
                case "--stack-name" -> o = o.withStackName(args[++i]);
                default -> {
                    System.err.println("usage: bin/local stack [--failure-rate R] [--port P] [--stack-name NAME]");
                    System.exit(2);
                }
            }
        }
        LocalEnvironment stack = start(o, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));
        stack.printHowTo();
        stopped.await();
    }

    /** Creates everything and starts polling; the caller closes it. */
    public static LocalEnvironment start(Options options, PrintStream out) throws IOException {
        SamTemplate template = SamTemplate.load(options.root().resolve("template.yaml"));
        LocalAws aws = LocalAws.start(options.port());
        VendorStub vendor = VendorStub.start();
        Path logDir = Files.createTempDirectory("local-stack-" + options.stackName() + "-logs-");
        LocalEnvironment stack = new LocalEnvironment(options, out, aws, vendor, logDir);
        try {
            stack.create(template);
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    public URI endpoint() {
        return aws.endpoint();
    }

    /** A client on the stack's endpoint (dummy credentials, us-east-1). */
    public SqsClient sqs() {
        return sqs;
    }

    public List<FunctionEnvironment> functions() {
        return List.copyOf(functions);
    }

    /** By logical id, slug or case name. */
    public FunctionEnvironment function(String name) {
        Functions.Spec spec = Functions.named(name);
        return functions.stream().filter(f -> f.function() == spec).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(spec.logicalId() + " is not in template.yaml"));
    }

    /** Every message outcome so far. */
    public List<Seen> outcomes() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Every request the vendor sandbox received so far. */
    public List<VendorStub.Recorded> vendorRequests() {
        return vendor.requests();
    }

    public Path logDirectory() {
        return logDir;
    }

    private void create(SamTemplate t) throws IOException {
        Path eventsDir = options.root().resolve("events");
        VendorSandbox sandbox = new VendorSandbox(options.failureRate(), options.seed());
        vendor.respond(sandbox(sandbox));
        for (String functionId : t.functionIds()) {
            var spec = Functions.byLogicalId(functionId);
            if (spec.isEmpty()) {
                out.println("skipping " + functionId + ": not in tools' Functions.ALL");
                continue;
            }
            String vendorBaseUrl = sandbox.add(spec.get(), FunctionEnvironment.settings(eventsDir, spec.get()), vendor.baseUrl());
            FunctionEnvironment.Overrides o = FunctionEnvironment.Overrides.stack(options.stackName()).env("VENDOR_BASE_URL", vendorBaseUrl);
            if (options.batchingWindow() != null) o = o.batchingWindow(options.batchingWindow());
            FunctionEnvironment f = FunctionEnvironment.create(sqs, aws.secrets(), dynamoDb, t, eventsDir, functionId, o);
            f.notes().forEach(out::println);
            functions.add(f);
            startPolling(f);
        }
    }

    private void startPolling(FunctionEnvironment f) throws IOException {
        String id = f.function().logicalId();
        OutputStream logFile = Files.newOutputStream(logDir.resolve(id + ".log"));
        DestinationHandler handler = f.function().handler().apply(new DestinationHandler.Wiring(f.env(), sqs, aws.secrets(),
                new PrintStream(logFile, true, StandardCharsets.UTF_8), (ctx, m, type, result, outcome) -> {
                    String reason = outcome.reason() == null ? "" : outcome.reason().code();
                    String why = outcome.reason() == null ? outcome.vendorCalls() + " vendor call(s)" : reason + ": " + outcome.detail();
                    seen.add(new Seen(id, m.getMessageId(), type, result.code(), reason, outcome.detail()));
                    out.printf("outcome  %-20s %-36s %-9s %s%n", id, m.getMessageId(), result.code(), why);
                }, () -> dynamoDb));
        EventSourcePoller poller = new EventSourcePoller(sqs, f.queueUrl(), f.queueArn(), f.batchSize(), f.batchingWindow(), handler, f.timeoutSeconds() * 1000L);
        Thread t = Thread.ofPlatform().name("poll-" + id).daemon(true).start(() -> {
            while (running.get()) {
                try {
                    poller.pollOnce(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    if (!running.get()) break;
                    out.println("poller  " + id + ": " + e.getMessage() + " (retrying in 1 s)");
                    sleep(1000);
                }
            }
            try {
                logFile.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        });
        pollers.add(t);
    }

    /** The sandbox's answer, with one printed line per request. */
    private VendorStub.Responder sandbox(VendorSandbox sandbox) {
        return r -> {
            VendorStub.Reply reply = sandbox.answer(r);
            out.printf("vendor   %-6s %s%s -> %d%n", r.method(), StubbedFunction.vendorUrl(r), r.rawQuery() == null ? "" : "?" + r.rawQuery(), reply.status());
            return reply;
        };
    }

    /** Paste-ready commands for the queues this stack made. */
    public void printHowTo() {
        String endpoint = endpoint().toString().replaceAll("/$", "");
        out.println();
        out.println("local stack '" + options.stackName() + "': AWS endpoint " + endpoint + " (" + aws.description() + ")");
        out.println("vendor sandbox " + vendor.baseUrl() + " (answers like the vendors; failure rate " + options.failureRate() + ")");
        out.println("function logs in " + logDir);
        for (FunctionEnvironment f : functions) {
            out.println();
            out.println(f.function().logicalId() + ": batch " + f.batchSize() + ", window " + f.batchingWindow().toSeconds() + " s");
            out.println("  queue  " + f.queueUrl() + "  (visibility " + f.visibilityTimeoutSeconds() + " s)");
            out.println("  dlq    " + f.dlqUrl() + "  (after " + f.maxReceiveCount() + " receives)");
            out.println("  secret " + f.secretName() + "  (apiKey = a local dummy)");
            out.println("  send:  aws --endpoint-url " + endpoint + " --region us-east-1 sqs send-message --queue-url " + f.queueUrl()
                    + " --message-body '" + example(f).replace("'", "'\\''") + "'");
            out.println("  dlq:   bin/local dlq list " + f.dlqUrl() + " --endpoint-url " + endpoint);
        }
        functions.stream().map(f -> f.env().get("SUPPRESSION_TABLE")).filter(t -> t != null && !t.isEmpty()).findFirst().ifPresent(table -> {
            out.println();
            out.println("erasure table " + table + " (suppressed users, deletion receipts; README \"User deletion\")");
            out.println("  receipts: bin/local receipts --stack-name " + options.stackName() + " --endpoint-url " + endpoint);
        });
        out.println();
        out.println("(awscli needs some credentials and ignores AWS_ENDPOINT_URL for sqs: export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)");
        out.println("polling " + functions.size() + " queue(s): one line per message outcome and vendor request; Ctrl-C stops");
    }

    /** The first message of events/<slug>/identify.json (or a minimal identify), as one line. */
    private String example(FunctionEnvironment f) {
        Path file = options.root().resolve("events").resolve(f.function().destination().slug()).resolve("identify.json");
        try {
            List<String> bodies = LocalRun.bodies(file);
            if (!bodies.isEmpty()) return Json.write(Json.parse(bodies.get(0)));
        } catch (IOException | RuntimeException ignored) {
            // fall back below
        }
        return "{\"type\":\"identify\",\"userId\":\"user-42\",\"traits\":{\"email\":\"ada@example.com\"}}";
    }

    /** Stops polling, the sandbox and the AWS endpoint if it was started here (queues on AWS_ENDPOINT_URL stay). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        running.set(false);
        out.println("stopping: pollers, vendor sandbox" + (aws.description().contains("started here") ? ", moto_server" : ""));
        long windowMillis = functions.stream().mapToLong(f -> f.batchingWindow().toMillis()).max().orElse(0);
        long deadline = System.currentTimeMillis() + 3000 + windowMillis;
        for (Thread t : pollers) {
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        vendor.close();
        try {
            aws.close();
        } catch (Exception e) {
            out.println("could not stop the AWS endpoint: " + e.getMessage());
        }
        out.println("stopped");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
