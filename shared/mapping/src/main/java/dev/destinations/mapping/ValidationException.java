package dev.destinations.mapping;

/**
 * The event cannot be mapped: a required value is missing or a value is not allowed. Permanent. The message is
 * the reference's text, exactly, because operators search for it and the conformance cases compare it.
 */
public final class ValidationException extends RuntimeException {
    private final boolean missingIdentity;

    public ValidationException(String message) {
        this(message, false);
    }

    private ValidationException(String message, boolean missingIdentity) {
        super(message, null, false, false);
        this.missingIdentity = missingIdentity;
    }

    /**
     * The event names no one the destination can deliver it for. Only a fact: the processor decides what it means
     * (a track, page or screen is anonymous traffic and skipped as {@code unidentified}, D20; identify or group a
     * validation failure).
     */
    public static ValidationException missingIdentity(String message) {
        return new ValidationException(message, true);
    }

    public boolean missingIdentity() {
        return missingIdentity;
    }
}
