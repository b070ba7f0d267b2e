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
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SnapStart priming of the AWS SDK path a first batch takes: one GetSecretValue through a throw-away Secrets
 * Manager client whose HTTP client answers in memory. The request is built, signed (with dummy credentials) and
 * its answer parsed for real, so those classes are loaded and warm in the snapshot; nothing leaves the machine
 * and no real secret is read. The function's own client is untouched.
 */
final class SdkPriming {
    static final String PRIMING_SECRET = "{\"apiKey\":\"priming-not-a-key\"}";

    private SdkPriming() {}

    /** Runs the call and returns the secret string the SDK parsed from the in-memory answer. */
    static String primeSecretsManager() {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(new InMemoryAnswer())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build()) {
            return client.getSecretValue(b -> b.secretId("priming")).secretString();
        }
    }

    /** Answers every request with a GetSecretValue response, without a socket. */
    private static final class InMemoryAnswer implements SdkHttpClient {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            byte[] body = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:priming\",\"Name\":\"priming\","
                    + "\"SecretString\":" + quote(PRIMING_SECRET) + ",\"VersionId\":\"priming\"}").getBytes(StandardCharsets.UTF_8);
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.1")
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

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
