package dev.destinations.gainsightpx;

import dev.destinations.lambda.FunctionDescriptor;

/** This function, for the tools and tests (found by ServiceLoader; the Lambda runtime never reads it). */
public final class GainsightPxDescriptor extends FunctionDescriptor {
    public GainsightPxDescriptor() {
        super("GainsightPxFunction", "gainsight_px", new GainsightPxDestination(), GainsightPxHandler::new, "{\"apiKey\":\"k\",\"productTagKey\":\"AP-1\"}");
    }

    /** The event writes, which the vendor does not deduplicate. */
    @Override
    public boolean eventWrite(String path) {
        return path.endsWith("/events/custom");
    }
}
