package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.Json;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The instance's memory of vendor ids: bounded in size and time, ids only. */
class KnownIdsTest {
    final AtomicLong now = new AtomicLong(1_000);
    final KnownIds known = new KnownIds(3, Duration.ofMinutes(10), now::get);

    static JsonNode user(int id) throws Exception {
        return Json.parse("{\"id\":" + id + ",\"user_key\":\"k" + id + "\",\"email\":\"ada@example.com\",\"first_name\":\"Ada\"}");
    }

    @Test
    void keepsOnlyTheNamedIdFields_neverTheRestOfTheAnswer() throws Exception {
        known.put("/users-by-id/u1/", user(7), "id", "user_key", "custom_id");
        assertThat(Json.write(known.get("/users-by-id/u1/"))).isEqualTo("{\"id\":7,\"user_key\":\"k7\"}");
    }

    @Test
    void aFactIsDroppedTtlAfterItWasLearned_howeverOftenItIsRead() throws Exception {
        known.put("a", user(1), "id");
        now.addAndGet(Duration.ofMinutes(9).toNanos());
        assertThat(known.get("a")).isNotNull();
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(known.get("a")).isNull();
        assertThat(known.size()).isZero();
    }

    @Test
    void atMostMaxEntries_theLeastRecentlyUsedGoesFirst() throws Exception {
        known.put("a", user(1), "id");
        known.put("b", user(2), "id");
        known.put("c", user(3), "id");
        known.get("a"); // used: b is now the least recently used
        known.put("d", user(4), "id");
        assertThat(known.size()).isEqualTo(3);
        assertThat(known.get("b")).isNull();
        assertThat(known.get("a")).isNotNull();
        assertThat(known.get("d")).isNotNull();
    }

    @Test
    void forget_dropsOneFact() throws Exception {
        known.put("a", user(1), "id");
        known.put("b", null); // existence only
        known.forget("a");
        assertThat(known.get("a")).isNull();
        assertThat(known.get("b")).isNotNull().isEmpty();
    }

    @Test
    void zeroEntriesOrZeroTtl_remembersNothing() throws Exception {
        KnownIds none = new KnownIds(0, Duration.ofMinutes(10), now::get);
        KnownIds instant = new KnownIds(10, Duration.ZERO, now::get);
        none.put("a", user(1), "id");
        instant.put("a", user(1), "id");
        assertThat(none.get("a")).isNull();
        assertThat(instant.get("a")).isNull();
        assertThat(KnownIds.none().size()).isZero();
    }
}
