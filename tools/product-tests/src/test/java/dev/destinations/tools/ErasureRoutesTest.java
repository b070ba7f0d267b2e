package dev.destinations.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.AwsEndpoint;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.testkit.contract.ContractSandbox;
import dev.destinations.tools.local.DlqTool;
import dev.destinations.tools.local.EventSourcePoller;
import dev.destinations.tools.local.FunctionEnvironment;
import dev.destinations.tools.local.QueuePair;
import dev.destinations.tools.local.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 20's measured run: 1,000 events of 100 users through the three functions (the template's queues, the erasure
 * table on moto_server, each vendor's contract sandbox); 10 users are deleted partway, and their late events follow
 * through every route: direct, SNS (envelope), EventBridge, a batch body, and a DLQ redrive (the other users' events go
 * straight to the queues: moto's SNS and EventBridge fan-out is slow). Writes to a deleted
 * user after its deletion: 0. Prints the table and the receipt. moto_server only (LocalStack's DynamoDB cannot run here).
 */
@Tag(AwsEndpoint.TAG)
class ErasureRoutesTest {
    static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();

    enum Route { DIRECT, SNS, EVENTBRIDGE, BATCH_BODY, DLQ_REDRIVE }

    /** One function: its environment, sandbox behind its own stub, handler's poller, and what it reported per message id. */
    record Function(Functions.Spec spec, FunctionEnvironment env, ContractSandbox sandbox, VendorStub stub, EventSourcePoller poller,
                    Map<String, List<String>> outcomes) {}

    static String user(int i) {
        return String.format("erasure-user-%03d", i);
    }

    /** Event n (0-9) of user i: identify first, then tracks, a page and a group. */
    static String event(int i, int n) {
        String id = "\"messageId\":\"m-" + i + "-" + n + "\",\"userId\":\"" + user(i) + "\",\"timestamp\":\"2026-12-06T21:00:00Z\"";
        return switch (n) {
            case 0 -> "{\"type\":\"identify\"," + id + ",\"traits\":{\"email\":\"" + user(i) + "@example.com\",\"firstName\":\"Ada\"}}";
            case 4 -> "{\"type\":\"page\"," + id + ",\"name\":\"Pricing\",\"properties\":{\"url\":\"https://example.com/pricing\"}}";
            case 8 -> "{\"type\":\"group\"," + id + ",\"groupId\":\"acme-" + (i % 7) + "\",\"traits\":{\"name\":\"Acme " + (i % 7) + "\"}}";
            default -> "{\"type\":\"track\"," + id + ",\"event\":\"Step " + n + "\",\"properties\":{\"n\":" + n + "}}";
        };
    }

    @Test
    void deletedUsers_lateEventsThroughEveryRoute_noWriteAfterTheirDeletion() throws Exception {
        try (MotoServer aws = MotoServer.start()) {
            Assumptions.assumeTrue(AwsEndpoint.hasDynamoDb(aws.endpoint()), AwsEndpoint.NO_DYNAMODB);
            SqsClient sqs = aws.sqs();
            DynamoDbClient dynamoDb = aws.dynamoDb();
            SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
            String stack = "erasure-" + Long.toHexString(System.nanoTime());
            List<Function> functions = new ArrayList<>();
            for (Functions.Spec f : Functions.ALL) {
                var settings = FunctionEnvironment.settings(ROOT.resolve("events"), f);
                ContractSandbox sandbox = VendorSandboxes.forFunction(f, settings);
                VendorStub stub = VendorStub.start().respond(sandbox);
                FunctionEnvironment fn = FunctionEnvironment.create(sqs, aws.secrets(), dynamoDb, template, ROOT.resolve("events"), f.logicalId(),
                        FunctionEnvironment.Overrides.stack(stack).maxReceiveCount(20).visibilityTimeout(30).batchingWindow(Duration.ZERO)
                                .env(Map.of("VENDOR_BASE_URL", StubbedFunction.vendorBaseUrl(f, settings, stub.baseUrl()), "RETRY_BASE_SECONDS", "1",
                                        "RETRY_MAX_SECONDS", "2", "DEPENDENCY_RETRY_RECEIVES", "15", "ERASURE_SECOND_PASS_SECONDS", "1")));
                assertThat(fn.env().get("SUPPRESSION_TABLE")).as("the erasure table was made").isEqualTo(stack + "-ErasureTable");
                Map<String, List<String>> outcomes = new ConcurrentHashMap<>();
                DestinationHandler handler = f.handler().apply(new DestinationHandler.Wiring(fn.env(), sqs, aws.secrets(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), (ctx, m, type, result, verdict) -> {
                            String reason = verdict.reason() == null ? "" : ":" + verdict.reason().code();
                            var read = dev.destinations.delivery.MessageBody.readOne(m.getBody()); // SNS and EventBridge envelopes unwrapped
                            String id = read.event() == null ? m.getMessageId() : read.event().root().path("messageId").asText(m.getMessageId());
                            outcomes.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(result.code() + reason);
                        }, () -> dynamoDb));
                QueuePair q = fn.queues();
                functions.add(new Function(f, fn, sandbox, stub, new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), 10, Duration.ZERO, handler, 30_000),
                        outcomes));
            }
            try (SnsClient sns = client(aws, SnsClient.builder()); EventBridgeClient events = client(aws, EventBridgeClient.builder())) {
                String topic = sns.createTopic(b -> b.name(stack + "-events")).topicArn();
                for (Function f : functions) {
                    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(f.env().queueArn()).attributes(Map.of("RawMessageDelivery", "false")));
                }
                events.putRule(b -> b.name(stack).eventPattern("{\"source\":[\"erasure.test\"]}"));
                events.putTargets(b -> b.rule(stack).targets(IntStream.range(0, functions.size())
                        .mapToObj(i -> Target.builder().id("q" + i).arn(functions.get(i).env().queueArn()).build()).toList()));
                Set<Integer> deleted = Set.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);

                // 1. the first 5 events of every user (identify first), straight to each queue
                for (int i = 0; i < 100; i++) {
                    for (int n = 0; n < 5; n++) send(Route.DIRECT, List.of(event(i, n)), functions, sqs, sns, topic, events);
                }
                drain(functions, sqs);
                // 2. the deletion of 10 users, published once (as to the events topic: every destination)
                StringBuilder users = new StringBuilder();
                for (int i : deleted) users.append(users.isEmpty() ? "" : ",").append("{\"userId\":\"").append(user(i)).append("\"}");
                String deletion = "{\"type\":\"userDeletion\",\"messageId\":\"del-" + stack + "\",\"userAttributes\":[" + users + "]}";
                send(Route.DIRECT, List.of(deletion), functions, sqs, sns, topic, events);
                drain(functions, sqs); // the deletion, and its second pass a second later (D62)
                Map<String, Integer> deletedAt = new LinkedHashMap<>(); // function -> index of its last vendor request at the deletion
                for (Function f : functions) deletedAt.put(f.spec().logicalId(), f.stub().requests().size());
                // 3. the other 5 events per user; a deleted user's late events spread over every route
                Map<Route, Integer> lateSent = new EnumMap<>(Route.class);
                List<String> toRedrive = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    for (int n = 5; n < 10; n++) {
                        String e = event(i, n);
                        if (!deleted.contains(i)) {
                            send(Route.DIRECT, List.of(e), functions, sqs, sns, topic, events);
                            continue;
                        }
                        Route route = Route.values()[(i / 10 + n) % Route.values().length];
                        lateSent.merge(route, 1, Integer::sum);
                        if (route == Route.DLQ_REDRIVE) toRedrive.add(e);
                        else send(route, List.of(e), functions, sqs, sns, topic, events);
                    }
                }
                // parked earlier, redriven now: the bodies go to each DLQ, then bin/local dlq redrive's code moves them back
                for (Function f : functions) {
                    for (String body : toRedrive) sqs.sendMessage(b -> b.queueUrl(f.env().dlqUrl()).messageBody(body));
                    DlqTool.redrive(sqs, f.env().dlqUrl(), f.env().queueUrl(), null, 1000, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                }
                drain(functions, sqs);

                // the measure: per function, outcomes of the deleted users' late events, and vendor requests naming a deleted user after its deletion
                StringBuilder table = new StringBuilder("\nerasure run: 1,000 events of 100 users, 10 deleted after their first 5 events (stack " + stack + ")\n");
                table.append(String.format("%-20s %-12s %-10s %-12s %-10s %s%n", "function", "late events", "delivered", "suppressed", "other", "vendor requests naming a deleted user after its deletion"));
                int writesAfterDeletion = 0;
                for (Function f : functions) {
                    Map<String, Integer> counts = new TreeMap<>();
                    for (int i : deleted) {
                        for (int n = 5; n < 10; n++) {
                            List<String> o = f.outcomes().getOrDefault("m-" + i + "-" + n, List.of("none"));
                            String last = o.get(o.size() - 1);
                            counts.merge(last.startsWith("delivered") ? "delivered" : last.equals("skipped:suppressed") ? "suppressed" : "other:" + last, 1, Integer::sum);
                        }
                    }
                    List<VendorStub.Recorded> after = f.stub().requests().subList(deletedAt.get(f.spec().logicalId()), f.stub().requests().size());
                    long naming = after.stream().filter(r -> deleted.stream().anyMatch(i -> mentions(r, user(i)))).count();
                    writesAfterDeletion += (int) naming + counts.getOrDefault("delivered", 0);
                    long other = counts.entrySet().stream().filter(e -> e.getKey().startsWith("other")).mapToLong(Map.Entry::getValue).sum();
                    table.append(String.format("%-20s %-12d %-10d %-12d %-10s %d%n", f.spec().logicalId(), 50, counts.getOrDefault("delivered", 0),
                            counts.getOrDefault("suppressed", 0), other + (other == 0 ? "" : " " + counts.keySet().stream().filter(k -> k.startsWith("other")).toList()), naming));
                    assertThat(counts.getOrDefault("delivered", 0)).as(f.spec().logicalId() + ": deleted users' late events delivered").isZero();
                    assertThat(naming).as(f.spec().logicalId() + ": vendor requests naming a deleted user after the deletion").isZero();
                    assertThat(f.sandbox().violations()).as(f.spec().logicalId() + ": requests the vendor's contract refuses").isEmpty();
                }
                table.append("late events of deleted users per route (each through all three functions): ").append(lateSent).append('\n');
                table.append("writes to deleted users after their deletion: ").append(writesAfterDeletion).append('\n');
                // the receipt: one item for the request, each destination's calls
                var receipt = dynamoDb.getItem(b -> b.tableName(stack + "-ErasureTable").key(Map.of("pk", AttributeValue.fromS("receipts"),
                        "sk", AttributeValue.fromS("del-" + stack)))).item();
                table.append(dev.destinations.tools.local.ReceiptsTool.lines(receipt)).append('\n');
                System.out.println(table);
                assertThat(writesAfterDeletion).isZero();
                assertThat(lateSent.keySet()).containsExactlyInAnyOrder(Route.values());
                assertThat(receipt.get("users").ss()).hasSize(10).noneMatch(h -> h.startsWith("erasure-user"));
                for (Function f : functions) {
                    List<AttributeValue> calls = receipt.get(f.spec().slug()).l();
                    // a destination that deletes nothing at its vendor still suppresses, and lists no call (D64)
                    int expected = f.spec().handles(dev.destinations.mapping.EventType.USER_DELETION) ? 20 : 0;
                    assertThat(calls).as(f.spec().slug() + "'s calls in the receipt: each user's deletion, then its second pass (D62)").hasSize(expected)
                            .allSatisfy(c -> assertThat(Integer.parseInt(c.m().get("status").n())).isIn(200, 204, 404));
                }
            }
            functions.forEach(f -> f.stub().close());
        }
    }

    /** Whether a vendor request names {@code userId} in its path, query or body. */
    static boolean mentions(VendorStub.Recorded r, String userId) {
        return r.path().contains(userId) || (r.rawQuery() != null && r.rawQuery().contains(userId)) || r.body().contains(userId);
    }

    static void send(Route route, List<String> bodies, List<Function> functions, SqsClient sqs, SnsClient sns, String topic, EventBridgeClient events) {
        switch (route) {
            case DIRECT -> bodies.forEach(body -> functions.forEach(f -> sqs.sendMessage(b -> b.queueUrl(f.env().queueUrl()).messageBody(body))));
            case SNS -> bodies.forEach(body -> sns.publish(b -> b.topicArn(topic).message(body)));
            case EVENTBRIDGE -> bodies.forEach(body -> events.putEvents(b -> b.entries(e -> e.source("erasure.test")
                    .detailType(dev.destinations.delivery.MessageBody.readOne(body).typeName()).detail(body))));
            case BATCH_BODY -> functions.forEach(f -> sqs.sendMessage(b -> b.queueUrl(f.env().queueUrl())
                    .messageBody("{\"batch\":[" + String.join(",", bodies) + "],\"sentAt\":\"2026-12-06T21:00:00Z\"}")));
            case DLQ_REDRIVE -> throw new IllegalArgumentException("redriven by the caller");
        }
    }

    /** Polls every function until every queue is empty (retries wait out their 1-2 s backoff). */
    static void drain(List<Function> functions, SqsClient sqs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            int received = 0;
            for (Function f : functions) received += f.poller().pollOnce(Duration.ZERO).received();
            if (received > 0) continue;
            if (functions.stream().allMatch(f -> QueuePair.depth(sqs, f.env().queueUrl()) == 0)) return;
            Thread.sleep(200);
        }
        throw new AssertionError("the queues did not drain in 4 minutes");
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(MotoServer aws, B builder) {
        return builder.endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
