package dev.destinations.usercom;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class UserComDescriptor extends FunctionDescriptor {
    public UserComDescriptor() {
        super("UserComFunction", new UserComDestination(), UserComHandler::new, "{\"apiKey\":\"k\",\"appSubdomain\":\"acme\"}");
    }

    /** The reference's name, in ../shared/conformance (the slug elsewhere). */
    @Override
    public String caseName() {
        return "user";
    }
}
