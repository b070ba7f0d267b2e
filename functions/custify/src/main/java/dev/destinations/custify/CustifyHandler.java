package dev.destinations.custify;

import dev.destinations.lambda.DestinationHandler;

/** The Custify Lambda's handler: {@code dev.destinations.custify.CustifyHandler::handleRequest}. */
public final class CustifyHandler extends DestinationHandler {
    public CustifyHandler() {
        super(new CustifyDestination());
    }

    public CustifyHandler(Wiring wiring) {
        super(new CustifyDestination(), wiring);
    }
}
