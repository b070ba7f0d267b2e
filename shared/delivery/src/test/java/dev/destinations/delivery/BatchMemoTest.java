package dev.destinations.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BatchMemoTest {
    static final class Seen implements BatchMemo.State {
        final Set<String> urls = ConcurrentHashMap.newKeySet();

        @Override
        public void forget(String key) {
            urls.remove(key);
        }
    }

    static final BatchMemo.Key<Seen> FIRST = new BatchMemo.Key<>(Seen::new);
    static final BatchMemo.Key<Seen> SECOND = new BatchMemo.Key<>(Seen::new);

    @Test
    void eachKeyHasOneStatePerBatch_madeOnFirstUse() {
        BatchMemo memo = new BatchMemo();
        memo.get(FIRST).urls.add("u");
        assertThat(memo.get(FIRST).urls).containsExactly("u");
        assertThat(memo.get(SECOND).urls).as("another key, another state").isEmpty();
        assertThat(new BatchMemo().get(FIRST).urls).as("another batch starts empty").isEmpty();
    }

    @Test
    void forget_reachesEveryStateOfTheBatch() {
        BatchMemo memo = new BatchMemo();
        memo.get(FIRST).urls.add("u");
        memo.get(SECOND).urls.addAll(Set.of("u", "v"));
        memo.forget("u");
        assertThat(memo.get(FIRST).urls).isEmpty();
        assertThat(memo.get(SECOND).urls).containsExactly("v");
    }
}
