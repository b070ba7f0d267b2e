package dev.destinations.usercom;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class UserComDescriptor extends FunctionDescriptor {
    public UserComDescriptor() {
        super("UserComFunction", "user", new UserComDestination(), UserComHandler::new, "{\"apiKey\":\"k\",\"appSubdomain\":\"acme\"}");
    }

    /** The event writes, which the vendor does not deduplicate. */
    @Override
    public boolean eventWrite(String path) {
        return path.endsWith("/events/") || path.endsWith("/site-views/");
    }
}
