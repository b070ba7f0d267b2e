package dev.destinations.custify;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class CustifyDescriptor extends FunctionDescriptor {
    public CustifyDescriptor() {
        super("CustifyFunction", new CustifyDestination(), CustifyHandler::new, "{\"apiKey\":\"k\"}");
    }
}
