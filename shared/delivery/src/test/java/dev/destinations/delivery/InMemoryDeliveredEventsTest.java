package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.destinations.delivery.DeliveredEvents.Claim;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The claim rules every store follows (the DynamoDB store's test checks the same on the emulators). */
class InMemoryDeliveredEventsTest {
    final AtomicLong now = new AtomicLong();
    final InMemoryDeliveredEvents store = new InMemoryDeliveredEvents(Duration.ofSeconds(60), Duration.ofHours(24), now::get);

    @Test
    void aCompletedKey_isAlreadyDelivered_untilTheWindowEnds() {
        assertThat(store.claim("custify#m1")).isEqualTo(Claim.CLAIMED);
        store.complete("custify#m1");
        assertThat(store.claim("custify#m1")).isEqualTo(Claim.ALREADY_DELIVERED);
        assertThat(store.claim("user-com#m1")).as("another destination's key").isEqualTo(Claim.CLAIMED);

        now.addAndGet(Duration.ofHours(24).toNanos());
        assertThat(store.claim("custify#m1")).as("after the window").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void anUncompletedClaim_isInFlight_untilItExpires() {
        assertThat(store.claim("k")).isEqualTo(Claim.CLAIMED);
        assertThat(store.claim("k")).isEqualTo(Claim.IN_FLIGHT);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(store.claim("k")).isEqualTo(Claim.IN_FLIGHT);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(store.claim("k")).as("the claimer died mid-write: its claim expired").isEqualTo(Claim.CLAIMED);
    }

    @Test
    void aReleasedClaim_canBeClaimedAtOnce_butReleaseNeverDropsADeliveredKey() {
        store.claim("k");
        store.release("k");
        assertThat(store.claim("k")).isEqualTo(Claim.CLAIMED);
        store.complete("k");
        store.release("k");
        assertThat(store.claim("k")).isEqualTo(Claim.ALREADY_DELIVERED);
    }
}
