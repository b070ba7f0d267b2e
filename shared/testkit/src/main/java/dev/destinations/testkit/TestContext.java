package dev.destinations.testkit;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** A Lambda {@link Context} with a real deadline: remaining time counts down from construction. */
public final class TestContext implements Context {
    private final String requestId;
    private final long deadlineMillis;

    public TestContext(String requestId, long timeoutMillis) {
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + timeoutMillis;
    }

    public static TestContext of30Seconds() {
        return new TestContext(java.util.UUID.randomUUID().toString(), 30_000);
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/local"; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return "local"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:local"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadlineMillis - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.println(message); }
            @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
