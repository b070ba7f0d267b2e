package dev.destinations.__package__;

import dev.destinations.lambda.DestinationHandler;

/** The __Name__ Lambda's handler: {@code dev.destinations.__package__.__Name__Handler::handleRequest}. */
public final class __Name__Handler extends DestinationHandler {
    public __Name__Handler() {
        super(new __Name__Destination());
    }

    public __Name__Handler(Wiring wiring) {
        super(new __Name__Destination(), wiring);
    }
}
