package dev.destinations.__package__;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.destinations.lambda.DestinationHandler;
import dev.destinations.testkit.FixedSecret;
import dev.destinations.testkit.Golden;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** __Name__'s flows through the real handler: HTTP on a loopback stub answered by __Name__'s sandbox, in-memory SQS and secret. */
class __Name__HandlerTest {
    static final __Name__Sandbox sandbox = new __Name__Sandbox("");
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension(sandbox);
    InMemorySqs sqs;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        sqs = new InMemorySqs();
        env = new HashMap<>(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s", "DLQ_URL", "https://sqs.local/1/dlq",
                "VENDOR_BASE_URL", stub.baseUrl()));
    }

    private SQSBatchResponse run(String... bodies) {
        __Name__Handler handler = new __Name__Handler(new DestinationHandler.Wiring(env, sqs, FixedSecret.of("test-key"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null));
        return handler.handleRequest(SqsEvents.ofBodies(bodies), TestContext.of30Seconds());
    }

    /**
     * The delivered flows: golden cases of {@code src/test/resources/golden-flow/<case>/} ({@code in.json} the message
     * body, {@code settings.json} the settings when not {@code {}}, {@code out.json} the vendor requests in order).
     */
    @TestFactory
    Stream<DynamicTest> goldenFlows() {
        return Golden.tests(Golden.FLOW_DIR, c -> {
            stub.reset();
            sqs = new InMemorySqs();
            env.put("DESTINATION_SETTINGS", c.json("settings.json", "{}").toString());
            SQSBatchResponse response = run(c.in().toString());
            assertThat(response.getBatchItemFailures()).as("retried").isEmpty();
            assertThat(sqs.sent).as("parked").isEmpty();
            return Golden.requests(stub.requests(), "");
        });
    }

    @Test
    void identify_upsertsTheUser_withTheApiKey() {
        run("{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"email\":\"a@example.com\"}}");
        assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer test-key"));
        assertThat(sandbox.user("u1").path("email").asText()).isEqualTo("a@example.com");
    }

    @Test
    void track_recordsTheEvent() {
        run("{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"Signed Up\"}");
        assertThat(sandbox.events()).singleElement().satisfies(e -> assertThat(e.path("name").asText()).isEqualTo("Signed Up"));
    }

    @Test
    void aTypeItDoesNotHandle_isSkipped_notParked_D12() {
        SQSBatchResponse response = run("{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":\"p\"}");
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(sqs.sent).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }
}
