package dev.destinations.lambda;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SnapStart priming of the AWS SDK path a first batch takes: one GetSecretValue through a throw-away Secrets
 * Manager client whose HTTP client answers in memory, and, when the function deduplicates events, one PutItem
 * through a throw-away DynamoDB client. The requests are built, signed (with dummy credentials) and their answers
 * parsed for real, so those classes are loaded and warm in the snapshot; nothing leaves the machine, no real secret
 * is read and no claim is written. The function's own clients are untouched.
 */
final class SdkPriming {
    static final String PRIMING_SECRET = "{\"apiKey\":\"priming-not-a-key\"}";

    private SdkPriming() {}

    /** Runs the call and returns the secret string the SDK parsed from the in-memory answer. */
    static String primeSecretsManager() {
        String answer = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:priming\",\"Name\":\"priming\","
                + "\"SecretString\":" + InMemoryAnswer.quote(PRIMING_SECRET) + ",\"VersionId\":\"priming\"}";
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(new InMemoryAnswer(answer, "application/x-amz-json-1.1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build()) {
            return client.getSecretValue(b -> b.secretId("priming")).secretString();
        }
    }

    /** The store's claim, a conditional PutItem, through the SDK's DynamoDB path; returns the answer's attribute count. */
    static int primeDynamoDb() {
        try (DynamoDbClient client = DynamoDbDeliveredEvents.configure(DynamoDbClient.builder())
                .httpClient(new InMemoryAnswer("{}", "application/x-amz-json-1.0"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build()) {
            return client.putItem(b -> b.tableName("priming").item(Map.of("pk", AttributeValue.fromS("priming#priming")))
                    .conditionExpression("attribute_not_exists(pk)")).attributes().size();
        }
    }

    /** The archive's PutObject through the SDK's S3 path (signing, the request body); returns the answer's ETag. */
    static String primeS3() {
        try (software.amazon.awssdk.services.s3.S3Client client = software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(new InMemoryAnswer("", "application/xml"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build()) {
            return client.putObject(b -> b.bucket("priming").key("priming/priming.jsonl.gz"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {1})).eTag();
        }
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
