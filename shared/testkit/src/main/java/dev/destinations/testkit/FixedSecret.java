package dev.destinations.testkit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** The Secrets Manager client, faked in memory: answers every read from a supplier and counts the reads. */
public final class FixedSecret implements SecretsManagerClient {
    private final Supplier<String> value;
    public final AtomicInteger reads = new AtomicInteger();

    public FixedSecret(Supplier<String> value) {
        this.value = value;
    }

    public static FixedSecret of(String value) {
        return new FixedSecret(() -> value);
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        reads.incrementAndGet();
        return GetSecretValueResponse.builder().name(request.secretId()).secretString(value.get()).build();
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {
    }
}
