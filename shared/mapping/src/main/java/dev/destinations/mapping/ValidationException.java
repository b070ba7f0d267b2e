package dev.destinations.mapping;

/**
 * The event cannot be mapped: a required value is missing or a value is not allowed. Permanent. The message is
 * the reference's text, exactly, because operators search for it and the conformance cases compare it.
 */
public final class ValidationException extends RuntimeException {
    public ValidationException(String message) {
        super(message, null, false, false);
    }
}
