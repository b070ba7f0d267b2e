package dev.destinations.__package__;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class __Name__Descriptor extends FunctionDescriptor {
    public __Name__Descriptor() {
        // the least settings the destination delivers an identify with (RudderStack's names; an apiKey included)
        super("__Name__Function", new __Name__Destination(), __Name__Handler::new, "{\"apiKey\":\"k\"}");
    }
}
