package dev.destinations.gainsightpx;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class GainsightPxDescriptor extends FunctionDescriptor {
    public GainsightPxDescriptor() {
        super("GainsightPxFunction", new GainsightPxDestination(), GainsightPxHandler::new, "{\"apiKey\":\"k\",\"productTagKey\":\"AP-1\"}");
    }

    /** The reference's name, in ../shared/conformance (the slug elsewhere). */
    @Override
    public String caseName() {
        return "gainsight_px";
    }
}
