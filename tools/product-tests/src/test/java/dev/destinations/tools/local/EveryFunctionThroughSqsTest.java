package dev.destinations.tools.local;

import org.junit.jupiter.api.Tag;
import dev.destinations.testkit.AwsEndpoint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.MessageBody;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.MotoServer;
import dev.destinations.testkit.VendorStub;
import dev.destinations.tools.Functions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Every function on real SQS semantics (moto_server): its sample events of events/<slug>/ published to a queue with
 * a redrive policy, a real secret, a vendor sandbox that fails a seeded share of calls with 503 and 429, and
 * Lambda's event source reproduced by {@link EventSourcePoller}. Every message ends delivered or in the DLQ with
 * its reason; nothing is lost and nothing stays on the queue.
 */
@Tag(AwsEndpoint.TAG) // runs on moto_server and, in bin/test's second pass, on LocalStack
class EveryFunctionThroughSqsTest {
    static final Path EVENTS = Path.of("..", "..", "events");
    static MotoServer aws;
    static SqsClient sqs;
    static SecretsManagerClient secrets;

    @BeforeAll
    static void start() {
        aws = MotoServer.start();
        sqs = aws.sqs();
        secrets = aws.secrets();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Stream<Functions.Spec> functions() {
        return Functions.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void sampleEvents_withAFlakyVendor_endDeliveredOrParkedWithAReason(Functions.Spec function) throws Exception {
        String slug = function.destination().slug();
        Path dir = EVENTS.resolve(slug);
        try (VendorStub vendor = VendorStub.start()) {
            VendorSandbox sandbox = new VendorSandbox(0.25, 7);
            vendor.respond(sandbox);
            // the template's queue, secret and environment; a stack of the test's own, 5 receives, retries at once; no
            // deletion's second pass (D62: ErasureSecondPassTest), so what settles is what was published
            FunctionEnvironment fn = FunctionEnvironment.create(sqs, secrets, EVENTS, function, FunctionEnvironment.Overrides.uniqueStack(slug + "-it")
                    .maxReceiveCount(5).visibilityTimeout(30).batchingWindow(Duration.ZERO).secretValue("{\"apiKey\":\"it-" + slug + "-key\"}")
                    .env(Map.of("VENDOR_BASE_URL", sandbox.add(function, FunctionEnvironment.settings(EVENTS, function), vendor.baseUrl()),
                            "RETRY_BASE_SECONDS", "0", "ERASURE_SECOND_PASS_SECONDS", "0")));
            QueuePair q = fn.queues();
            Map<String, String> env = fn.env();
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            DestinationHandler handler = function.handler().apply(new DestinationHandler.Wiring(env, sqs, secrets,
                    new PrintStream(logs, true, StandardCharsets.UTF_8), null));
            int published = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> !f.getFileName().toString().equals("env.json")).sorted().toList()) {
                    for (String body : LocalRun.bodies(file)) {
                        sqs.sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(body));
                        published += MessageBody.read(body).parts().size(); // each event of a batch body settles on its own (D19)
                    }
                }
            }
            EventSourcePoller poller = new EventSourcePoller(sqs, q.queueUrl(), q.queueArn(), fn.batchSize(), fn.batchingWindow(), handler, 30_000);
            for (int i = 0; i < 80 && QueuePair.depth(sqs, q.queueUrl()) > 0; i++) {
                if (poller.pollOnce(Duration.ofSeconds(1)).received() == 0) Thread.sleep(100);
            }

            assertThat(QueuePair.depth(sqs, q.queueUrl())).as("messages left on the queue").isZero();
            List<Message> parked = new java.util.ArrayList<>();
            for (List<Message> got; !(got = sqs.receiveMessage(b -> b.queueUrl(q.dlqUrl()).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(60).messageAttributeNames("All")).messages()).isEmpty(); ) parked.addAll(got);
            assertThat(parked).allSatisfy(m -> {
                assertThat(m.messageAttributes()).containsKeys("reason", "detail", "destination", "original_message_id");
                assertThat(m.messageAttributes().get("destination").stringValue()).isEqualTo(slug);
            });
            assertThat(parked).extracting(m -> m.messageAttributes().get("reason").stringValue()).contains("invalid_event");
            long delivered = logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"outcome\":\"delivered\"")).count();
            assertThat(delivered + parked.size()).as("delivered + parked = published events").isEqualTo(published);
            assertThat(logs.toString(StandardCharsets.UTF_8)).as("the batch sample's events, each on its own line")
                    .containsPattern("\"message_id\":\"[^\"]+#3\"");
            assertThat(vendor.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.body()).doesNotContain("it-" + slug + "-key"));
            assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("it-" + slug + "-key").doesNotContain("@example.com");
        }
    }
}
