package dev.destinations.delivery.gate;

/**
 * Something a gate that passed an event holds while its flow runs (the deduplication claim), settled once after
 * it, whatever the flow came to.
 */
@FunctionalInterface
public interface Hold {
    /** @param written true when the flow completed (every vendor call succeeded) */
    void settle(boolean written);
}
