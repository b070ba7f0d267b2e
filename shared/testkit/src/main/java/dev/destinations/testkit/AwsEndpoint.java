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

    /** The most either emulator adds to a visibility timeout before the message is visible again. */
    public static Duration visibilityLag() {
        return Duration.ofMillis(1500);
    }
}
