package dev.destinations.tools.perf;

import dev.destinations.lambda.DynamoDbDeliveredEvents;
import dev.destinations.lambda.DynamoDbSuppressions;
import dev.destinations.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bin/suppression-check [checks]}: what the suppression check (README "User deletion") costs an event: the
 * latency of {@link DynamoDbSuppressions#suppressed} (one strongly consistent GetItem, the Lambda's client settings)
 * on a moto_server started here, for users suppressed and not, and the reads per million events with their price.
 * Reports; asserts nothing about time.
 */
public final class SuppressionCheck {
    /** On-demand, us-east-1, since 2024-11-01: $0.125 per million read request units; a strongly consistent read of an item under 4 KB is 1. */
    static final double DOLLARS_PER_MILLION_READS = 0.125;

    private SuppressionCheck() {}

    public static void main(String[] args) {
        int checks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        try (MotoServer moto = MotoServer.start()) {
            DynamoDbClient client = DynamoDbDeliveredEvents.configure(DynamoDbClient.builder()).endpointOverride(moto.endpoint())
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t"))).build();
            String table = MotoServer.createErasureTable(client, "suppression-check");
            byte[] key = "suppression-check-key".getBytes(StandardCharsets.UTF_8);
            DynamoDbSuppressions store = new DynamoDbSuppressions(() -> client, table, "custify", () -> key, null, Duration.ofDays(400),
                    () -> System.currentTimeMillis() / 1000, failure -> { throw new IllegalStateException(failure); });
            List<String> suppressed = new ArrayList<>();
            for (int i = 0; i < 100; i += 10) suppressed.add("user-" + i);
            store.suppress(suppressed);
            for (int i = 0; i < 200; i++) store.suppressed("user-" + (i % 100)); // warm the client and the JIT
            long[] nanos = new long[checks];
            int found = 0;
            for (int i = 0; i < checks; i++) {
                long start = System.nanoTime();
                if (store.suppressed("user-" + (i % 100))) found++;
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("suppression check on %s: %d checks (%d of suppressed users), one strongly consistent GetItem each%n",
                    moto.origin(), checks, found);
            System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99),
                    nanos[nanos.length - 1] / 1e6);
            System.out.printf("reads per million events: 1,000,000 read request units = $%.3f at on-demand prices (us-east-1); events without an id: none%n",
                    DOLLARS_PER_MILLION_READS);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
