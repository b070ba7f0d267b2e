package dev.destinations.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The AWS emulator a test talks to ({@link MotoServer#endpoint()}), and the differences between the two the suite runs
 * on. bin/test runs every test tagged {@link #TAG} twice: on a moto_server it starts, then on LocalStack.
 * The differences a test must allow for (checked by EmulatorDifferencesTest):
 * <ul>
 *   <li>the account: moto 123456789012, LocalStack 000000000000; never hard-code it, read it from a queue's URL or ARN;</li>
 *   <li>ChangeMessageVisibility on a deleted message: moto answers ReceiptHandleIsInvalid, LocalStack
 *       InvalidParameterValueException; code treats every failed entry alike;</li>
 *   <li>a message made visible again after N s: moto shows it after about N s, LocalStack after up to N + 0.8 s; poll
 *       with a deadline ({@link #visibilityLag()}), never sleep a fixed time.</li>
 *   <li>DynamoDB: moto_server has it; LocalStack's runs DynamoDB Local, a JDK and a jar it downloads on first use
 *       (not from a package registry), which this host does not do: tests of the deduplication table skip there
 *       ({@link #hasDynamoDb}), and bin/test deploys the template into LocalStack with {@code Deduplication=off Suppression=off}.</li>
 * </ul>
 */
public final class AwsEndpoint {
    /** The JUnit tag of every test that talks to an AWS endpoint. */
    public static final String TAG = "aws-endpoint";

    public enum Emulator { MOTO_SERVER, LOCALSTACK }

    private AwsEndpoint() {}

    /** LocalStack answers its health path; moto_server does not have it. */
    public static Emulator emulatorAt(URI endpoint) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(endpoint.resolve("/_localstack/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? Emulator.LOCALSTACK : Emulator.MOTO_SERVER;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no AWS endpoint at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether the endpoint serves DynamoDB: moto_server yes; LocalStack without Docker no (see the class comment). */
    public static boolean hasDynamoDb(URI endpoint) {
        return emulatorAt(endpoint) == Emulator.MOTO_SERVER;
    }

    /** The reason a DynamoDB test gives when it skips. */
    public static final String NO_DYNAMODB = "LocalStack's DynamoDB needs DynamoDB Local and a JDK downloaded on first use: not on this host";

    /** The most either emulator adds to a visibility timeout before the message is visible again. */
    public static Duration visibilityLag() {
        return Duration.ofMillis(1500);
    }
}
