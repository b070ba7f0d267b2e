package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bin/local stack [--failure-rate R] [--port P] [--stack-name NAME]}: the deployed stack, on this machine.
 * Starts moto_server (or uses AWS_ENDPOINT_URL, e.g. LocalStack), creates the queues, DLQs and secrets that
 * template.yaml declares (names, visibility, retention and redrive policy from the template, with stack name
 * {@code local}; secrets with a dummy apiKey; settings from {@code events/<slug>/env.json}), starts the
 * {@link VendorSandbox}, and polls every queue continuously with {@link EventSourcePoller}, invoking the function's
 * real handler as Lambda's SQS event source would (batch size and window from the template, partial batch
 * responses; visibility timeout and redrive are the queue's). Prints one line per message outcome and per vendor
 * request until closed (Ctrl-C / SIGTERM from the command line), then stops what it started.
 */
public final class LocalStack implements AutoCloseable {
    /** The dummy key in every secret: the sandbox takes any key. */
    public static final String LOCAL_API_KEY = "local-sandbox-key";

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

    /** One function as the stack created it. */
    public record FunctionStack(Functions.Spec function, String queueLogicalId, String queueName, String queueUrl, String queueArn,
                                String dlqLogicalId, String dlqUrl, String dlqArn, String secretName, String secretArn,
                                int maxReceiveCount, int visibilityTimeoutSeconds, int batchSize, Duration batchingWindow) {}

    /** A message outcome the stack saw (the handler's own listener). */
    public record Seen(String functionId, String messageId, String eventType, String outcome, String reason, String detail) {}

    /** What template.yaml declares for a function's event source, queue and DLQ. */
    public record Declared(String functionId, String queueId, String dlqId, Map<String, Object> queue, Map<String, Object> dlq,
                           int maxReceiveCount, int batchSize, Duration batchingWindow) {}

    private static final Map<String, QueueAttributeName> QUEUE_PROPERTIES = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
            "SqsManagedSseEnabled", QueueAttributeName.SQS_MANAGED_SSE_ENABLED);

    private final Options options;
    private final PrintStream out;
    private final LocalAws aws;
    private final SqsClient sqs;
    private final VendorStub vendor;
    private final List<FunctionStack> functions = new ArrayList<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path logDir;

    private LocalStack(Options options, PrintStream out, LocalAws aws, VendorStub vendor, Path logDir) {
        this.options = options;
        this.out = out;
        this.aws = aws;
        this.sqs = aws.sqs();
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
        LocalStack stack = start(o, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));
        stack.printHowTo();
        stopped.await();
    }

    /** Creates everything and starts polling; the caller closes it. */
    public static LocalStack start(Options options, PrintStream out) throws IOException {
        SamTemplate template = SamTemplate.load(options.root().resolve("template.yaml"));
        LocalAws aws = LocalAws.start(options.port());
        VendorStub vendor = VendorStub.start();
        Path logDir = Files.createTempDirectory("local-stack-" + options.stackName() + "-logs-");
        LocalStack stack = new LocalStack(options, out, aws, vendor, logDir);
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

    public List<FunctionStack> functions() {
        return List.copyOf(functions);
    }

    /** By logical id, slug or case name. */
    public FunctionStack function(String name) {
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

    /** The queue, DLQ and event source settings template.yaml gives a function. */
    public static Declared declared(SamTemplate t, String functionId) {
        Map<String, Object> event = t.sqsEvent(functionId);
        String queueId = SamTemplate.target(event.get("Queue"));
        if (queueId == null) throw new IllegalArgumentException(functionId + " has no SQS event with a queue of the template");
        Map<String, Object> queue = t.properties(queueId);
        Map<String, Object> redrive = SamTemplate.map(queue.get("RedrivePolicy"));
        String dlqId = SamTemplate.target(redrive.get("deadLetterTargetArn"));
        int maxReceiveCount = integer(t.resolve(redrive.get("maxReceiveCount"), null), 0);
        int batchSize = integer(t.resolve(event.get("BatchSize"), null), 10);
        int window = integer(t.resolve(event.get("MaximumBatchingWindowInSeconds"), null), 0);
        return new Declared(functionId, queueId, dlqId, queue, dlqId == null ? Map.of() : t.properties(dlqId), maxReceiveCount, batchSize,
                Duration.ofSeconds(window));
    }

    /** A queue's name in a stack: its template QueueName with the stack name substituted, else {@code <stack>-<logical id>}. */
    public static String queueName(SamTemplate t, String queueId, String stackName) {
        Object name = t.resolve(t.properties(queueId).get("QueueName"), null, Map.of("AWS::StackName", stackName));
        return name != null ? String.valueOf(name) : stackName + "-" + queueId;
    }

    private void create(SamTemplate t) throws IOException {
        SecretsManagerClient secrets = aws.secrets();
        String stack = options.stackName();
        Map<String, Object> refs = new LinkedHashMap<>();
        refs.put("AWS::StackName", stack);
        refs.put("AWS::Region", "us-east-1");
        Map<String, String> secretNameByArn = new LinkedHashMap<>();
        String secretValue = Json.write(Json.object().put("apiKey", LOCAL_API_KEY));
        for (var r : t.resources().entrySet()) {
            if (!"AWS::SecretsManager::Secret".equals(SamTemplate.map(r.getValue()).get("Type")) || !t.created(r.getKey())) continue;
            Object name = t.resolve(t.properties(r.getKey()).get("Name"), null, refs);
            String secretName = name != null ? String.valueOf(name) : stack + "/" + r.getKey();
            String arn = putSecret(secrets, secretName, secretValue);
            refs.put(r.getKey(), arn);
            secretNameByArn.put(arn, secretName);
        }
        vendor.respond(sandbox(new VendorSandbox(options.failureRate(), options.seed())));
        for (String functionId : t.functionIds()) {
            var spec = Functions.byLogicalId(functionId);
            if (spec.isEmpty()) {
                out.println("skipping " + functionId + ": not in tools' Functions.ALL");
                continue;
            }
            Declared d = declared(t, functionId);
            if (d.dlqId() == null) throw new IllegalArgumentException(d.queueId() + " has no RedrivePolicy deadLetterTargetArn");
            String dlqName = queueName(t, d.dlqId(), stack);
            String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(attributes(t, d.dlq(), refs))).queueUrl();
            String dlqArn = arn(dlqUrl);
            refs.put(d.dlqId(), dlqUrl);
            refs.put(d.dlqId() + ".Arn", dlqArn);
            refs.put(d.dlqId() + ".QueueName", dlqName);
            String queueName = queueName(t, d.queueId(), stack);
            Map<QueueAttributeName, String> qa = attributes(t, d.queue(), refs);
            qa.put(QueueAttributeName.REDRIVE_POLICY, Json.write(Json.object().put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", d.maxReceiveCount())));
            String queueUrl = sqs.createQueue(b -> b.queueName(queueName).attributes(qa)).queueUrl();
            String queueArn = arn(queueUrl);
            refs.put(d.queueId(), queueUrl);
            refs.put(d.queueId() + ".Arn", queueArn);
            refs.put(d.queueId() + ".QueueName", queueName);

            ObjectNode settings = settings(options.root(), spec.get());
            JsonNode key = settings.remove("apiKey");
            if (key != null && key.isTextual()) out.println(functionId + ": the apiKey in env.json is not used; the secret holds a local dummy key");
            Map<String, String> env = new LinkedHashMap<>(t.environment(functionId, refs));
            env.putAll(envJson(options.root(), spec.get()));
            env.put("DESTINATION_SETTINGS", Json.write(settings));
            String secretArn = env.getOrDefault("API_KEY_SECRET_ID", "");
            if (!secretNameByArn.containsKey(secretArn)) { // the template points the function at a secret it does not create
                String name = stack + "/" + functionId + "/api-key";
                secretArn = putSecret(secrets, name, secretValue);
                secretNameByArn.put(secretArn, name);
                env.put("API_KEY_SECRET_ID", secretArn);
            }
            env.put("VENDOR_BASE_URL", StubbedFunction.vendorBaseUrl(spec.get(), settings, vendor.baseUrl()));
            int visibility = integer(t.resolve(d.queue().get("VisibilityTimeout"), null), 30);
            int timeoutSeconds = integer(t.resolve(t.functionProperty(functionId, "Timeout"), null), 3);
            Duration window = options.batchingWindow() != null ? options.batchingWindow() : d.batchingWindow();
            FunctionStack f = new FunctionStack(spec.get(), d.queueId(), queueName, queueUrl, queueArn, d.dlqId(), dlqUrl, dlqArn,
                    secretNameByArn.get(secretArn), secretArn, d.maxReceiveCount(), visibility, d.batchSize(), d.batchingWindow());
            functions.add(f);
            startPolling(f, env, window, timeoutSeconds * 1000L);
        }
    }

    private void startPolling(FunctionStack f, Map<String, String> env, Duration window, long timeoutMillis) throws IOException {
        String id = f.function().logicalId();
        OutputStream logFile = Files.newOutputStream(logDir.resolve(id + ".log"));
        DestinationHandler handler = f.function().handler().apply(new DestinationHandler.Wiring(env, sqs, aws.secrets(),
                new PrintStream(logFile, true, StandardCharsets.UTF_8), (ctx, m, type, result, outcome) -> {
                    String reason = outcome.reason() == null ? "" : outcome.reason().code();
                    String why = outcome.reason() == null ? outcome.vendorCalls() + " vendor call(s)" : reason + ": " + outcome.detail();
                    seen.add(new Seen(id, m.getMessageId(), type, result.code(), reason, outcome.detail()));
                    out.printf("outcome  %-20s %-36s %-9s %s%n", id, m.getMessageId(), result.code(), why);
                }));
        EventSourcePoller poller = new EventSourcePoller(sqs, f.queueUrl(), f.queueArn(), f.batchSize(), window, handler, timeoutMillis);
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
        for (FunctionStack f : functions) {
            out.println();
            out.println(f.function().logicalId() + ": batch " + f.batchSize() + ", window " + f.batchingWindow().toSeconds() + " s");
            out.println("  queue  " + f.queueUrl() + "  (visibility " + f.visibilityTimeoutSeconds() + " s)");
            out.println("  dlq    " + f.dlqUrl() + "  (after " + f.maxReceiveCount() + " receives)");
            out.println("  secret " + f.secretName() + "  (apiKey = a local dummy)");
            out.println("  send:  aws --endpoint-url " + endpoint + " --region us-east-1 sqs send-message --queue-url " + f.queueUrl()
                    + " --message-body '" + example(f).replace("'", "'\\''") + "'");
            out.println("  dlq:   bin/local dlq list " + f.dlqUrl() + " --endpoint-url " + endpoint);
        }
        out.println();
        out.println("(awscli needs some credentials and ignores AWS_ENDPOINT_URL for sqs: export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)");
        out.println("polling " + functions.size() + " queue(s): one line per message outcome and vendor request; Ctrl-C stops");
    }

    /** The first message of events/<slug>/identify.json (or a minimal identify), as one line. */
    private String example(FunctionStack f) {
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
        long deadline = System.currentTimeMillis() + 3000 + (options.batchingWindow() != null ? options.batchingWindow().toMillis() : windowMillis);
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

    private Map<QueueAttributeName, String> attributes(SamTemplate t, Map<String, Object> properties, Map<String, Object> refs) {
        Map<QueueAttributeName, String> a = new LinkedHashMap<>();
        QUEUE_PROPERTIES.forEach((property, attribute) -> {
            Object v = t.resolve(properties.get(property), null, refs);
            if (v != null) a.put(attribute, String.valueOf(v));
        });
        return a;
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static String putSecret(SecretsManagerClient secrets, String name, String value) {
        try {
            return secrets.createSecret(b -> b.name(name).secretString(value)).arn();
        } catch (ResourceExistsException e) {
            return secrets.putSecretValue(b -> b.secretId(name).secretString(value)).arn();
        }
    }

    /** The function's settings from events/<slug>/env.json (SAM's --env-vars format), or {}. */
    static ObjectNode settings(Path root, Functions.Spec f) throws IOException {
        JsonNode s = DryRun.defaultSettings(root, f);
        return s.isObject() ? (ObjectNode) s : Json.object();
    }

    /** env.json's variables other than the settings and the vendor URL (both set here). */
    private static Map<String, String> envJson(Path root, Functions.Spec f) throws IOException {
        Path file = root.resolve("events").resolve(f.destination().slug()).resolve("env.json");
        Map<String, String> env = Files.exists(file) ? SamTemplate.envVars(file, f.logicalId()) : new LinkedHashMap<>();
        env.remove("DESTINATION_SETTINGS");
        env.remove("VENDOR_BASE_URL");
        return env;
    }

    private static int integer(Object v, int otherwise) {
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
