package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class SecretSettingsSourceTest {
    final AtomicReference<Object> secret = new AtomicReference<>("{\"apiKey\":\"k1\"}");
    final AtomicInteger reads = new AtomicInteger();
    final AtomicLong now = new AtomicLong();

    final SecretsManagerClient client = new SecretsManagerClient() {
        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
            reads.incrementAndGet();
            Object v = secret.get();
            if (v instanceof RuntimeException e) throw e;
            return GetSecretValueResponse.builder().secretString((String) v).build();
        }

        @Override public String serviceName() { return "secretsmanager"; }
        @Override public void close() { }
    };

    SecretSettingsSource source(String settings) {
        return new SecretSettingsSource(settings, "arn:s", client, Duration.ofSeconds(300), now::get);
    }

    @Test
    void jsonSecret_isMergedOverTheSettings() {
        secret.set("{\"apiKey\":\"k1\",\"appSubdomain\":\"acme\"}");
        var s = source("{\"appSubdomain\":\"old\",\"sendAnonymousId\":true}").current();
        assertThat(s.get("appSubdomain").asText()).isEqualTo("acme");
        assertThat(s.get("sendAnonymousId").asBoolean()).isTrue();
    }

    @Test
    void theApiKey_isKeptApartFromTheSettings_theSecretsWinsOverTheSettingsOwn() {
        secret.set("{\"apiKey\":\"k1\",\"appSubdomain\":\"acme\"}");
        SecretSettingsSource s = source("{\"apiKey\":\"from-settings\"}");
        assertThat(s.apiKey()).isEqualTo("k1");
        assertThat(s.current().has("apiKey")).as("not merged into the settings and pulled back out").isFalse();

        secret.set("{\"appSubdomain\":\"acme\"}");
        assertThat(source("{\"apiKey\":\"from-settings\"}").apiKey()).as("a secret without a key leaves the settings' own").isEqualTo("from-settings");
        secret.set("{\"apiKey\":\"  \"}");
        assertThat(source("{\"apiKey\":\"from-settings\"}").apiKey()).as("a blank key in the secret is no key (D8)").isNull();
        secret.set("{\"apiKey\":7}");
        assertThat(source("{}").apiKey()).isNull();
    }

    @Test
    void plainStringSecret_isTheApiKey() {
        secret.set("  plain-key \n");
        assertThat(source("{}").apiKey()).isEqualTo("plain-key");
    }

    @Test
    void cachedForTheTtl_thenFetchedAgain() {
        SecretSettingsSource s = source("{}");
        s.current();
        now.addAndGet(Duration.ofSeconds(299).toNanos());
        s.current();
        assertThat(reads).hasValue(1);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        secret.set("{\"apiKey\":\"k2\"}");
        assertThat(s.apiKey()).isEqualTo("k2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void refresh_bypassesTheCache_andAFailedRefreshKeepsTheLastGoodValue() {
        SecretSettingsSource s = source("{}");
        s.current();
        secret.set("{\"apiKey\":\"rotated\"}");
        s.refresh();
        assertThat(s.apiKey()).isEqualTo("rotated");
        secret.set(SecretsManagerException.builder().message("throttled").statusCode(400).build());
        s.refresh();
        assertThat(s.apiKey()).isEqualTo("rotated");
    }

    @Test
    void unavailableOnFirstRead_isSecretUnavailable_andNamesNoValue() {
        secret.set(SecretsManagerException.builder().message("boom").statusCode(500).build());
        assertThatThrownBy(() -> source("{}").current()).isInstanceOfSatisfying(Failure.class,
                f -> assertThat(f.reason()).isEqualTo(Reason.SECRET_UNAVAILABLE));
        secret.set(ResourceNotFoundException.builder().message("gone").build());
        assertThatThrownBy(() -> source("{}").current()).hasMessageContaining("not found");
    }

    @Test
    void malformedJsonSecret_isConfiguration_withoutEchoingIt() {
        secret.set("{\"apiKey\": \"abc-secret-value\"");
        assertThatThrownBy(() -> source("{}").current()).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(f.getMessage()).doesNotContain("abc-secret-value");
        });
    }

    @Test
    void invalidSettingsJson_isConfiguration_andNeverReadsTheSecret() {
        SecretSettingsSource s = source("[1]");
        assertThat(s.baseProblem()).contains("must be a JSON object");
        assertThatThrownBy(s::current).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFIGURATION));
        assertThat(reads).hasValue(0);
    }

    @Test
    void eventsAskingTogetherBeforeTheFirstRead_shareOneRead() throws Exception {
        SecretsManagerClient slow = new SecretsManagerClient() {
            @Override
            public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
                reads.incrementAndGet();
                try {
                    Thread.sleep(200); // the other events ask meanwhile, as a first batch's concurrent deliveries do
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return GetSecretValueResponse.builder().secretString("{\"apiKey\":\"k1\"}").build();
            }

            @Override public String serviceName() { return "secretsmanager"; }
            @Override public void close() { }
        };
        SecretSettingsSource s = new SecretSettingsSource("{}", "arn:s", slow, Duration.ofSeconds(300), now::get);
        java.util.List<Thread> events = new java.util.ArrayList<>();
        java.util.Set<String> keys = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) events.add(Thread.ofVirtual().start(() -> keys.add(s.apiKey())));
        for (Thread t : events) t.join();

        assertThat(keys).containsExactly("k1");
        assertThat(reads).as("one GetSecretValue, not one per waiting event").hasValue(1);
    }

    @Test
    void readAhead_readsOnlyWhatIsNotFresh_andLeavesAFailureToTheEventThatNeedsTheKey() {
        SecretSettingsSource s = source("{}");
        assertThat(s.needsRead()).isTrue();
        s.readAhead();
        assertThat(reads).hasValue(1);
        assertThat(s.needsRead()).isFalse();
        assertThat(s.apiKey()).as("served from the read ahead").isEqualTo("k1");
        assertThat(reads).hasValue(1);

        SecretSettingsSource failing = source("{}");
        secret.set(SecretsManagerException.builder().message("throttled").build());
        failing.readAhead(); // swallowed: nothing to report to yet
        assertThat(reads).hasValue(2);
        assertThatThrownBy(failing::apiKey).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.SECRET_UNAVAILABLE));
        assertThat(new SecretSettingsSource("{}", null, client, Duration.ofSeconds(300), now::get).needsRead())
                .as("no API_KEY_SECRET_ID: nothing to read").isFalse();
    }
}
