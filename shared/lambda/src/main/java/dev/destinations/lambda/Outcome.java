package dev.destinations.lambda;

/** How a message left the batch: the four outcomes of the README's table. */
public enum Outcome {
    DELIVERED, SKIPPED, PARKED, RETRIED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
