package dev.destinations.gainsightpx;

import dev.destinations.lambda.DestinationHandler;

/** The Gainsight PX Lambda's handler: {@code dev.destinations.gainsightpx.GainsightPxHandler::handleRequest}. */
public final class GainsightPxHandler extends DestinationHandler {
    public GainsightPxHandler() {
        super(new GainsightPxDestination());
    }

    public GainsightPxHandler(Wiring wiring) {
        super(new GainsightPxDestination(), wiring);
    }
}
