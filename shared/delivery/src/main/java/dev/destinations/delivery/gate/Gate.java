package dev.destinations.delivery.gate;

import dev.destinations.delivery.Verdict;

/**
 * One check an event passes before its flow: a small, named rule with its own test. {@link
 * dev.destinations.delivery.EventProcessor} asks its gates in their one order ({@code EventProcessor.gates}); the
 * first that stops the event decides its verdict and no later gate, and no vendor call, is made. A gate never
 * calls the vendor. It may throw a {@link dev.destinations.delivery.Failure}, classified as any other.
 *
 * @param <S> the destination's parsed settings
 */
public interface Gate<S> {
    /** The event goes on to the next gate. */
    Verdict PASS = null;

    /** @return {@link #PASS}, or the verdict the event ends with (a {@link dev.destinations.delivery.Reason} with its detail) */
    Verdict check(Candidate<S> event);
}
