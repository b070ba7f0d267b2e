package dev.destinations.usercom;

import dev.destinations.lambda.DestinationHandler;

/** The User.com Lambda's handler: {@code dev.destinations.usercom.UserComHandler::handleRequest}. */
public final class UserComHandler extends DestinationHandler {
    public UserComHandler() {
        super(new UserComDestination());
    }

    public UserComHandler(Wiring wiring) {
        super(new UserComDestination(), wiring);
    }
}
