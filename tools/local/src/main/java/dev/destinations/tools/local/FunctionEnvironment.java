package dev.destinations.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.destinations.mapping.Json;
import dev.destinations.tools.Functions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One function's local environment, built from template.yaml: the one way {@code bin/local stack}
 * ({@link LocalEnvironment}), {@code bin/local-run} ({@link LocalRun}), {@code bin/fault-run} ({@link ScaleScenarios})
 * and the SQS tests create a function's queue, DLQ and secret and its handler's environment.
 * <ul>
 *   <li>the queue and its DLQ: names ({@code QueueName} with the stack name), attributes (visibility, retention, ...)
 *       and redrive policy ({@code maxReceiveCount}) as the template declares them; likewise the backfill lane's queue
 *       (D57: the queue of the function's other SQS event), same DLQ;</li>
 *   <li>the secret the function's {@code API_KEY_SECRET_ID} points at (its template name), holding a dummy key;</li>
 *   <li>the environment: the template's Globals and the function's variables (resolved against what was created),
 *       then {@code events/<slug>/env.json}'s, then the overrides;</li>
 *   <li>the event source's batch size and batching window, and the function's timeout.</li>
 * </ul>
 * Everything reads the template through {@link SamTemplate}'s public methods. A caller that needs other settings
 * (a scenario's receive count or visibility, a test's short batching window, a unique stack name so runs on one
 * moto_server do not collide) says so with {@link Overrides}, at the call site.
 */
public record FunctionEnvironment(Functions.Spec function, String stackName, String queueLogicalId, String queueName, String queueUrl,
                                  String queueArn, String dlqLogicalId, String dlqName, String dlqUrl, String dlqArn, String secretName,
                                  String secretArn, int maxReceiveCount, int visibilityTimeoutSeconds, int batchSize, Duration batchingWindow,
                                  int timeoutSeconds, ObjectNode settings, Map<String, String> env, List<String> notes,
                                  String backfillQueueUrl, String backfillQueueArn) {
    /** The dummy key in every secret: the sandbox takes any key. */
    public static final String LOCAL_API_KEY = "local-sandbox-key";

    /**
     * What differs from the template. {@code null} = the template's value; {@code env} is applied last.
     *
     * @param stackName   the stack name the template's names are built with ({@code ${AWS::StackName}-custify})
     * @param secretValue the secret's text, null = {@code {"apiKey":"local-sandbox-key"}}
     */
    public record Overrides(String stackName, Integer maxReceiveCount, Integer visibilityTimeoutSeconds, Duration batchingWindow,
                            String secretValue, Map<String, String> env) {
        public Overrides {
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }

        /** The template as it is, in stack {@code stackName}. */
        public static Overrides stack(String stackName) {
            return new Overrides(stackName, null, null, null, null, Map.of());
        }

        /** A stack name no other run on the same endpoint uses: {@code <prefix>-<hex>}. */
        public static Overrides uniqueStack(String prefix) {
            return stack(prefix + "-" + Long.toHexString(System.nanoTime()));
        }

        /** The redrive policy's maxReceiveCount, and the function's MAX_RECEIVE_COUNT with it (the template sets both from one parameter). */
        public Overrides maxReceiveCount(int count) {
            return new Overrides(stackName, count, visibilityTimeoutSeconds, batchingWindow, secretValue, env);
        }

        public Overrides visibilityTimeout(int seconds) {
            return new Overrides(stackName, maxReceiveCount, seconds, batchingWindow, secretValue, env);
        }

        public Overrides batchingWindow(Duration window) {
            return new Overrides(stackName, maxReceiveCount, visibilityTimeoutSeconds, window, secretValue, env);
        }

        public Overrides secretValue(String value) {
            return new Overrides(stackName, maxReceiveCount, visibilityTimeoutSeconds, batchingWindow, value, env);
        }

        /** Environment variables over the template's and env.json's. */
        public Overrides env(Map<String, String> more) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.putAll(more);
            return new Overrides(stackName, maxReceiveCount, visibilityTimeoutSeconds, batchingWindow, secretValue, e);
        }

        public Overrides env(String name, String value) {
            return env(Map.of(name, value));
        }
    }

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

    // ARN-shaped: the template picks "the given ARN, else the stack's secret" by splitting on "arn:"
    private static final String SECRET_PLACEHOLDER = "arn:aws:secretsmanager:local:000000000000:secret:template-resource/";

    /** The queue and DLQ as a {@link QueuePair}. */
    public QueuePair queues() {
        return new QueuePair(queueUrl, queueArn, dlqUrl, dlqArn);
    }

    /** The environment with {@code more} over it (e.g. per handler instance). */
    public Map<String, String> env(Map<String, String> more) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.putAll(more);
        return e;
    }

    /** {@link #create(SqsClient, SecretsManagerClient, SamTemplate, Path, String, Overrides)} with the template beside {@code eventsDir}. */
    public static FunctionEnvironment create(SqsClient sqs, SecretsManagerClient secrets, Path eventsDir, Functions.Spec function, Overrides o)
            throws IOException {
        SamTemplate t = SamTemplate.load(eventsDir.toAbsolutePath().normalize().resolveSibling("template.yaml"));
        return create(sqs, secrets, t, eventsDir, function.logicalId(), o);
    }

    /** Creates the function's DLQ, queue and secrets on {@code sqs} / {@code secrets} (no DynamoDB table) and returns its environment. */
    public static FunctionEnvironment create(SqsClient sqs, SecretsManagerClient secrets, SamTemplate t, Path eventsDir, String functionId,
                                             Overrides o) throws IOException {
        return create(sqs, secrets, null, t, eventsDir, functionId, o);
    }

    /**
     * As above, and with {@code dynamoDb} (null = none) every DynamoDB table the function's environment names (the
     * deduplication table, the erasure table), as the template declares it, named {@code <stack>-<logical id>}; an
     * endpoint without DynamoDB (LocalStack here) leaves the variable empty, with a note.
     */
    public static FunctionEnvironment create(SqsClient sqs, SecretsManagerClient secrets, DynamoDbClient dynamoDb, SamTemplate t, Path eventsDir,
                                             String functionId, Overrides o) throws IOException {
        Functions.Spec spec = Functions.byLogicalId(functionId)
                .orElseThrow(() -> new IllegalArgumentException(functionId + " is not in tools' Functions.ALL"));
        List<String> notes = new ArrayList<>();
        String stack = o.stackName();
        Map<String, Object> refs = new LinkedHashMap<>();
        refs.put("AWS::StackName", stack);
        refs.put("AWS::Region", "us-east-1");

        Declared d = declared(t, functionId);
        if (d.dlqId() == null) throw new IllegalArgumentException(d.queueId() + " has no RedrivePolicy deadLetterTargetArn");
        int maxReceiveCount = o.maxReceiveCount() != null ? o.maxReceiveCount() : d.maxReceiveCount();
        String dlqName = queueName(t, d.dlqId(), stack);
        String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(attributes(t, d.dlq(), refs))).queueUrl();
        String dlqArn = arn(sqs, dlqUrl);
        refs.put(d.dlqId(), dlqUrl);
        refs.put(d.dlqId() + ".Arn", dlqArn);
        refs.put(d.dlqId() + ".QueueName", dlqName);
        String queueName = queueName(t, d.queueId(), stack);
        Map<QueueAttributeName, String> qa = attributes(t, d.queue(), refs);
        if (o.visibilityTimeoutSeconds() != null) qa.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(o.visibilityTimeoutSeconds()));
        qa.put(QueueAttributeName.REDRIVE_POLICY, Json.write(Json.object().put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", maxReceiveCount)));
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName).attributes(qa)).queueUrl();
        String queueArn = arn(sqs, queueUrl);
        refs.put(d.queueId(), queueUrl);
        refs.put(d.queueId() + ".Arn", queueArn);
        refs.put(d.queueId() + ".QueueName", queueName);
        String backfillUrl = null;
        String backfillArn = null;
        for (Object e : SamTemplate.map(t.properties(functionId).get("Events")).values()) {
            String other = "SQS".equals(SamTemplate.map(e).get("Type")) ? SamTemplate.target(SamTemplate.map(SamTemplate.map(e).get("Properties")).get("Queue")) : null;
            if (other == null || other.equals(d.queueId())) continue;
            String otherName = queueName(t, other, stack);
            Map<QueueAttributeName, String> oa = attributes(t, t.properties(other), refs);
            if (o.visibilityTimeoutSeconds() != null) oa.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(o.visibilityTimeoutSeconds()));
            oa.put(QueueAttributeName.REDRIVE_POLICY, qa.get(QueueAttributeName.REDRIVE_POLICY));
            backfillUrl = sqs.createQueue(b -> b.queueName(otherName).attributes(oa)).queueUrl();
            backfillArn = arn(sqs, backfillUrl);
            refs.put(other, backfillUrl);
            refs.put(other + ".Arn", backfillArn);
            refs.put(other + ".QueueName", otherName);
        }

        // the secret the function's API_KEY_SECRET_ID points at, if the template creates it
        String secretValue = o.secretValue() != null ? o.secretValue() : Json.write(Json.object().put("apiKey", LOCAL_API_KEY));
        Map<String, Object> probe = new LinkedHashMap<>(refs);
        for (var r : t.resources().entrySet()) {
            if ("AWS::SecretsManager::Secret".equals(SamTemplate.map(r.getValue()).get("Type")) && t.created(r.getKey())) {
                probe.put(r.getKey(), SECRET_PLACEHOLDER + r.getKey());
            }
        }
        Map<String, String> probed = t.environment(functionId, probe);
        String pointedAt = probed.getOrDefault("API_KEY_SECRET_ID", "");
        String secretName;
        String secretArn;
        if (pointedAt.startsWith(SECRET_PLACEHOLDER)) {
            String secretId = pointedAt.substring(SECRET_PLACEHOLDER.length());
            Object name = t.resolve(t.properties(secretId).get("Name"), null, refs);
            secretName = name != null ? String.valueOf(name) : stack + "/" + secretId;
            secretArn = putSecret(secrets, secretName, secretValue);
            refs.put(secretId, secretArn);
        } else { // the template points the function at a secret it does not create
            secretName = stack + "/" + functionId + "/api-key";
            secretArn = putSecret(secrets, secretName, secretValue);
        }

        // every other secret the environment names (the erasure key): a random local value, made once per name
        probed.forEach((name, value) -> {
            if (name.equals("API_KEY_SECRET_ID") || !value.startsWith(SECRET_PLACEHOLDER)) return;
            String id = value.substring(SECRET_PLACEHOLDER.length());
            Object declared = t.resolve(t.properties(id).get("Name"), null, refs);
            String n = declared != null ? String.valueOf(declared) : stack + "/" + id;
            refs.put(id, existingOrNewSecret(secrets, n));
        });
        if (dynamoDb != null) createTables(dynamoDb, t, functionId, stack, refs, notes);

        ObjectNode settings = settings(eventsDir, spec);
        JsonNode key = settings.remove("apiKey");
        if (key != null && key.isTextual()) notes.add(functionId + ": the apiKey in env.json is not used; the secret holds a local dummy key");
        Map<String, String> env = new LinkedHashMap<>(t.environment(functionId, refs));
        env.putAll(envJson(eventsDir, spec));
        env.put("DESTINATION_SETTINGS", Json.write(settings));
        env.put("API_KEY_SECRET_ID", secretArn);
        if (o.maxReceiveCount() != null) env.put("MAX_RECEIVE_COUNT", String.valueOf(o.maxReceiveCount()));
        env.putAll(o.env());

        int visibility = o.visibilityTimeoutSeconds() != null ? o.visibilityTimeoutSeconds()
                : integer(t.resolve(d.queue().get("VisibilityTimeout"), null), 30);
        int timeoutSeconds = integer(t.resolve(t.functionProperty(functionId, "Timeout"), null), 3);
        Duration window = o.batchingWindow() != null ? o.batchingWindow() : d.batchingWindow();
        return new FunctionEnvironment(spec, stack, d.queueId(), queueName, queueUrl, queueArn, d.dlqId(), dlqName, dlqUrl, dlqArn, secretName,
                secretArn, maxReceiveCount, visibility, d.batchSize(), window, timeoutSeconds, settings, Collections.unmodifiableMap(env),
                List.copyOf(notes), backfillUrl, backfillArn);
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

    /** The function's settings from events/<slug>/env.json (SAM's --env-vars format), or {}. */
    public static ObjectNode settings(Path eventsDir, Functions.Spec f) throws IOException {
        Path file = eventsDir.resolve(f.destination().slug()).resolve("env.json");
        if (!Files.exists(file)) return Json.object();
        String s = SamTemplate.envVars(file, f.logicalId()).getOrDefault("DESTINATION_SETTINGS", "{}");
        JsonNode settings = Json.parse(s.isBlank() ? "{}" : s);
        return settings.isObject() ? (ObjectNode) settings : Json.object();
    }

    /** env.json's variables other than the settings and the vendor URL (a local run sets both). */
    private static Map<String, String> envJson(Path eventsDir, Functions.Spec f) throws IOException {
        Path file = eventsDir.resolve(f.destination().slug()).resolve("env.json");
        Map<String, String> env = Files.exists(file) ? SamTemplate.envVars(file, f.logicalId()) : new LinkedHashMap<>();
        env.remove("DESTINATION_SETTINGS");
        env.remove("VENDOR_BASE_URL");
        return env;
    }

    private static Map<QueueAttributeName, String> attributes(SamTemplate t, Map<String, Object> properties, Map<String, Object> refs) {
        Map<QueueAttributeName, String> a = new LinkedHashMap<>();
        QUEUE_PROPERTIES.forEach((property, attribute) -> {
            Object v = t.resolve(properties.get(property), null, refs);
            if (v != null) a.put(attribute, String.valueOf(v));
        });
        return a;
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** The tables the function's environment names by Ref, each created as the template declares it, its name put in {@code refs}. */
    private static void createTables(DynamoDbClient dynamoDb, SamTemplate t, String functionId, String stack, Map<String, Object> refs, List<String> notes) {
        for (var r : t.resources().entrySet()) {
            String id = r.getKey();
            if (!"AWS::DynamoDB::Table".equals(SamTemplate.map(r.getValue()).get("Type")) || !t.created(id) || refs.containsKey(id)) continue;
            Map<String, Object> probe = new LinkedHashMap<>(refs);
            probe.put(id, "table-placeholder:" + id);
            String variable = t.environment(functionId, probe).entrySet().stream().filter(e -> e.getValue().equals("table-placeholder:" + id))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (variable == null) continue;
            String name = stack + "-" + id;
            Map<String, Object> p = t.properties(id);
            try {
                dynamoDb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(list(p.get("AttributeDefinitions")).stream().map(SamTemplate::map)
                                .map(a -> AttributeDefinition.builder().attributeName(String.valueOf(a.get("AttributeName")))
                                        .attributeType(String.valueOf(a.get("AttributeType"))).build()).toList())
                        .keySchema(list(p.get("KeySchema")).stream().map(SamTemplate::map)
                                .map(k -> KeySchemaElement.builder().attributeName(String.valueOf(k.get("AttributeName")))
                                        .keyType(String.valueOf(k.get("KeyType"))).build()).toList()));
                Map<String, Object> ttl = SamTemplate.map(p.get("TimeToLiveSpecification"));
                if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
                    dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(s -> s.attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
                }
                refs.put(id, name);
            } catch (ResourceInUseException exists) {
                refs.put(id, name);
            } catch (RuntimeException e) { // LocalStack here: its DynamoDB cannot start (AwsEndpoint)
                notes.add(functionId + ": " + id + " not created (" + e.getClass().getSimpleName() + "), so " + variable + " is empty");
            }
        }
    }

    private static String existingOrNewSecret(SecretsManagerClient secrets, String name) {
        try {
            return secrets.describeSecret(b -> b.secretId(name)).arn();
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            return putSecret(secrets, name, java.util.HexFormat.of().formatHex(random));
        }
    }

    private static String putSecret(SecretsManagerClient secrets, String name, String value) {
        try {
            return secrets.createSecret(b -> b.name(name).secretString(value)).arn();
        } catch (ResourceExistsException e) {
            return secrets.putSecretValue(b -> b.secretId(name).secretString(value)).arn();
        }
    }

    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    private static int integer(Object v, int otherwise) {
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
