package dev.destinations.tools.local;

import dev.destinations.testkit.MotoServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS endpoint of the local stack: {@code AWS_ENDPOINT_URL} when set (LocalStack, or a moto_server of your
 * own; left running on close), otherwise a moto_server started here, on a free port ({@link MotoServer}) or on a
 * fixed one so that pasted commands keep working across restarts; stopped on close.
 */
final class LocalAws implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("Running on (http://[^\\s]+)");

    private final URI endpoint;
    private final String description;
    private final AutoCloseable owned;

    private LocalAws(URI endpoint, String description, AutoCloseable owned) {
        this.endpoint = endpoint;
        this.description = description;
        this.owned = owned;
    }

    static LocalAws start(Integer port) {
        String external = System.getenv("AWS_ENDPOINT_URL");
        if (external != null && !external.isBlank()) {
            return new LocalAws(URI.create(external.strip()), "AWS_ENDPOINT_URL, not started here: left running", null);
        }
        if (port == null) {
            MotoServer moto = MotoServer.start();
            return new LocalAws(moto.endpoint(), "moto_server, started here", moto);
        }
        try {
            Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port)).redirectErrorStream(true).start();
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    StringBuilder seen = new StringBuilder();
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        Matcher m = RUNNING.matcher(line);
                        if (m.find()) url.complete(m.group(1));
                        else if (!url.isDone() && seen.length() < 2000) seen.append(line).append('\n');
                    }
                    url.completeExceptionally(new IllegalStateException("moto_server exited: " + seen.toString().strip()));
                } catch (java.io.IOException ignored) {
                    url.completeExceptionally(new IllegalStateException("moto_server exited"));
                }
            }, "moto-output");
            reader.setDaemon(true);
            reader.start();
            String address = url.get(30, TimeUnit.SECONDS);
            return new LocalAws(URI.create(address), "moto_server on port " + port + ", started here", () -> {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot start moto_server on port " + port + " (installed? port free?): " + e.getMessage(), e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    String description() {
        return description;
    }

    SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        return software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    @Override
    public void close() throws Exception {
        if (owned != null) owned.close();
    }
}
