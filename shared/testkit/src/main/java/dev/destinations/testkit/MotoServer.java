package dev.destinations.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real AWS API endpoint for SQS and Secrets Manager: {@code AWS_ENDPOINT_URL} when it is set (LocalStack, or a
 * moto_server someone started), otherwise a {@code moto_server} child process on a free loopback port, stopped on
 * {@link #close()}. Clients built here point at it with dummy credentials.
 */
public final class MotoServer implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("Running on (http://[^\\s]+)");

    private final URI endpoint;
    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    public static MotoServer start() {
        String external = System.getenv("AWS_ENDPOINT_URL");
        if (external != null && !external.isBlank()) return new MotoServer(URI.create(external.strip()), null);
        try {
            Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", "0").redirectErrorStream(true).start();
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        Matcher m = RUNNING.matcher(line);
                        if (m.find()) url.complete(m.group(1));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                url.completeExceptionally(new IllegalStateException("moto_server exited without printing its address"));
            }, "moto-output");
            reader.setDaemon(true);
            reader.start();
            String address = url.get(30, TimeUnit.SECONDS);
            return new MotoServer(URI.create(address), p);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start moto_server (is it installed? pip install 'moto[server]')", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Where the endpoint comes from, for a tool to say so: a moto_server started here, or AWS_ENDPOINT_URL. */
    public String origin() {
        return process != null ? "moto_server, started here" : "AWS_ENDPOINT_URL, not started here";
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Path-style addressing: a bucket is no host name on a local endpoint. */
    public S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Creates an archive bucket with default encryption (SSE-S3), as template.yaml's ArchiveBucket. */
    public static String createArchiveBucket(S3Client s3, String name) {
        s3.createBucket(b -> b.bucket(name));
        s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                d -> d.sseAlgorithm(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256)))));
        return name;
    }

    /** Creates the deduplication table as template.yaml declares it (key {@code pk}, on-demand, TTL on {@code expires_at}). */
    public static String createDedupTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH")));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
        dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName("expires_at").enabled(true)));
        return name;
    }

    /** Creates the erasure table as template.yaml declares it (key {@code pk} + {@code sk}, on-demand, TTL on {@code expires_at}). */
    public static String createErasureTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(b -> b.tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE")));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(name));
        dynamoDb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName("expires_at").enabled(true)));
        return name;
    }

    @Override
    public void close() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** How long to wait for moto to apply a visibility change or redrive in tests that poll. */
    public static Duration settle() {
        return Duration.ofMillis(200);
    }
}
