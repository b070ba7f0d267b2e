package dev.destinations.lambda;

import dev.destinations.delivery.OffloadedPayloads;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SnapStart priming of the AWS SDK paths a first batch takes, each through a throw-away client whose HTTP client
 * answers in memory: one GetSecretValue; when the function deduplicates events, the claim's PutItem; with
 * suppression, the check's GetItem (through {@link DynamoDbSuppressions}); with the archive, its PutObject (through
 * {@link EventArchive}); with offloaded bodies, their GetObject and DeleteObject (through {@link S3Payloads}). The
 * requests are built, signed (with dummy credentials) and their answers parsed for real, so those classes are loaded
 * and warm in the snapshot; nothing leaves the machine, no real secret or key is read, nothing is written. The
 * function's own clients are untouched.
 */
final class SdkPriming {
    static final String PRIMING_SECRET = "{\"apiKey\":\"priming-not-a-key\"}";
    static final String PRIMING_BODY = "{\"type\":\"track\",\"event\":\"priming\"}";
    private static final byte[] PRIMING_ERASURE_KEY = "priming-not-a-key".getBytes(StandardCharsets.UTF_8);
    private static final StaticCredentialsProvider PRIMING_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));

    private SdkPriming() {}

    /** Runs the call and returns the secret string the SDK parsed from the in-memory answer. */
    static String primeSecretsManager() {
        String answer = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:priming\",\"Name\":\"priming\","
                + "\"SecretString\":" + InMemoryAnswer.quote(PRIMING_SECRET) + ",\"VersionId\":\"priming\"}";
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(new InMemoryAnswer(answer, "application/x-amz-json-1.1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(PRIMING_CREDENTIALS)
                .build()) {
            return client.getSecretValue(b -> b.secretId("priming")).secretString();
        }
    }

    /** The store's claim, a conditional PutItem, through the SDK's DynamoDB path; returns the answer's attribute count. */
    static int primeDynamoDb() {
        try (DynamoDbClient client = throwAwayDynamoDb("{}")) {
            return client.putItem(b -> b.tableName("priming").item(Map.of("pk", AttributeValue.fromS("priming#priming")))
                    .conditionExpression("attribute_not_exists(pk)")).attributes().size();
        }
    }

    /**
     * The suppression check every first event makes (D49): {@link DynamoDbSuppressions#suppressed}, the key's HMAC and
     * a strongly consistent GetItem, through a throw-away client whose answer holds a suppression without an expiry;
     * returns what the check concluded (true: the answer was parsed). No erasure key is read: a fixed priming one.
     */
    static boolean primeSuppressionCheck() {
        String answer = "{\"Item\":{\"pk\":{\"S\":\"priming#priming\"}}}";
        try (DynamoDbClient client = throwAwayDynamoDb(answer)) {
            return new DynamoDbSuppressions(() -> client, "priming", "priming", () -> PRIMING_ERASURE_KEY, null, Duration.ofDays(1),
                    () -> 0, failure -> {
                        throw new IllegalStateException("priming's suppression check failed: " + failure);
                    }).suppressed("priming-user");
        }
    }

    /**
     * The archive's write (D53) through {@link EventArchive} itself: the lines, the gzip on its own thread, and a
     * PutObject with its encryption and call timeout through a throw-away S3 client; returns the events the write
     * reported as written (1), or -1 when it failed.
     */
    static int primeArchive(String slug) {
        AtomicInteger written = new AtomicInteger(-1);
        try (S3Client client = throwAwayS3("")) {
            new EventArchive(() -> client, "priming", slug, new EventArchive.Listener() {
                @Override
                public void written(int events) {
                    written.set(events);
                }

                @Override
                public void failed(String why) {
                    written.set(-1);
                }
            }).start(List.of(new EventArchive.Entry("priming", "{\"type\":\"track\"}")), "priming", Instant.now()).await();
        }
        return written.get();
    }

    /**
     * An offloaded body's read and delete (D59) through {@link S3Payloads} itself: a GetObject and a DeleteObject
     * through a throw-away S3 client whose answer is {@link #PRIMING_BODY}; returns the body read.
     */
    static String primeOffloadedBody() {
        try (S3Client client = throwAwayS3(PRIMING_BODY)) {
            S3Payloads payloads = new S3Payloads("priming", 1024, () -> client, failure -> {
                throw new IllegalStateException("priming's DeleteObject failed: " + failure);
            });
            OffloadedPayloads.Pointer pointer = new OffloadedPayloads.Pointer("priming", "priming/priming");
            String body = payloads.fetch(pointer);
            payloads.delete(pointer);
            return body;
        }
    }

    private static DynamoDbClient throwAwayDynamoDb(String answer) {
        return DynamoDbDeliveredEvents.configure(DynamoDbClient.builder())
                .httpClient(new InMemoryAnswer(answer, "application/x-amz-json-1.0"))
                .region(Region.US_EAST_1)
                .credentialsProvider(PRIMING_CREDENTIALS)
                .build();
    }

    private static S3Client throwAwayS3(String answer) {
        return S3Client.builder()
                .httpClient(new InMemoryAnswer(answer, "application/octet-stream"))
                .region(Region.US_EAST_1)
                .credentialsProvider(PRIMING_CREDENTIALS)
                .build();
    }

    /** Answers every request with {@code body}, without a socket. */
    private static final class InMemoryAnswer implements SdkHttpClient {
        private final byte[] body;
        private final String contentType;

        InMemoryAnswer(String body, String contentType) {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            this.contentType = contentType;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", contentType)
                                    .putHeader("Content-Length", String.valueOf(body.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }

        static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
