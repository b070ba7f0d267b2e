package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.TestDestination;
import dev.destinations.testkit.InMemorySqs;
import dev.destinations.testkit.SqsEvents;
import dev.destinations.testkit.TestContext;
import dev.destinations.testkit.VendorStubExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * D66: with suppression on, an event's first calls are the suppression check's (the erasure key, a GetItem), so the
 * API key is read beside them rather than after them; without suppression nothing is read ahead.
 */
class ApiKeyReadAheadTest {
    @RegisterExtension
    static final VendorStubExtension stub = new VendorStubExtension();

    static final class Handler extends DestinationHandler {
        Handler(Wiring w) {
            super(new TestDestination(), w);
        }
    }

    /** Answers both secrets; the erasure key's read waits (at most 5 s) for the API key's to start. */
    static final class Secrets implements SecretsManagerClient {
        final CountDownLatch apiKeyAsked = new CountDownLatch(1);
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
            if (r.secretId().equals("arn:erasure")) {
                boolean overlapped;
                try {
                    overlapped = apiKeyAsked.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    overlapped = false;
                }
                log.add(overlapped ? "erasure key, the API key asked meanwhile" : "erasure key, alone");
                return GetSecretValueResponse.builder().secretString("erasure-key").build();
            }
            log.add("api key");
            apiKeyAsked.countDown();
            return GetSecretValueResponse.builder().secretString("{\"apiKey\":\"k\"}").build();
        }

        @Override public String serviceName() { return "secretsmanager"; }
        @Override public void close() { }
    }

    private static Handler handler(Secrets secrets, boolean suppression) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DESTINATION_SETTINGS", "{}", "API_KEY_SECRET_ID", "arn:s",
                "DLQ_URL", "https://sqs.local/1/dlq", "VENDOR_BASE_URL", stub.baseUrl()));
        if (suppression) env.putAll(Map.of("SUPPRESSION_TABLE", "erasure", "ERASURE_KEY_SECRET_ID", "arn:erasure"));
        return new Handler(new DestinationHandler.Wiring(env, new InMemorySqs(), secrets,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null, StoreClients::unreachable));
    }

    @Test
    void withSuppression_theApiKeyIsReadWhileTheErasureKeyIs_once() {
        Secrets secrets = new Secrets();

        handler(secrets, true).handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());

        assertThat(secrets.log).contains("erasure key, the API key asked meanwhile").doesNotContain("erasure key, alone");
        assertThat(secrets.log).filteredOn("api key"::equals).as("read once, by the read ahead").hasSize(1);
    }

    @Test
    void withoutSuppression_nothingIsReadAhead_theEventReadsTheKeyItself() {
        Secrets secrets = new Secrets();
        Handler handler = handler(secrets, false);

        handler.handleRequest(SqsEvents.ofBodies("not json"), TestContext.of30Seconds());
        assertThat(secrets.log).as("a batch that needs no key reads none").isEmpty();

        handler.handleRequest(SqsEvents.ofBodies("{\"type\":\"track\",\"userId\":\"u\"}"), TestContext.of30Seconds());
        assertThat(secrets.log).containsExactly("api key");
        assertThat(stub.requests()).hasSize(1);
    }
}
