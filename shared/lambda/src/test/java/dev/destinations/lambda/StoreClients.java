package dev.destinations.lambda;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB client the stores' tests use: the Lambda's settings ({@link DynamoDbDeliveredEvents#configure}) on an emulator, or an unreachable port. */
final class StoreClients {
    private StoreClients() {}

    static DynamoDbClient at(URI endpoint) {
        return DynamoDbDeliveredEvents.configure(DynamoDbClient.builder()).endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    /** A client whose every call fails to connect. */
    static DynamoDbClient unreachable() {
        return at(URI.create("http://127.0.0.1:1"));
    }
}
