package io.sluice.source.schedule;

import static org.awaitility.Awaitility.await;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileSchedulerTest {

    /**
     * Many objects at once, each failing twice: every one is tried again until it succeeds. (A
     * reconcile that starts before {@code now} returns and reschedules itself used to have that
     * retry cancelled, so polling stopped.)
     */
    @Test
    void aReconcileThatThrowsIsTriedAgainInsteadOfStoppingForGood() {
        Map<ObjectRef, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (ReconcileScheduler scheduler =
                new ReconcileScheduler(
                        2,
                        ref -> {
                            if (calls.computeIfAbsent(ref, r -> new AtomicInteger())
                                            .incrementAndGet()
                                    < 3) {
                                throw new IllegalStateException("boom");
                            }
                        },
                        Duration.ofMillis(1))) {
            for (int i = 0; i < 200; i++) {
                scheduler.now(new ObjectRef("GitRepository", "ns", "repo-" + i));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    calls.size() == 200
                                            && calls.values().stream().allMatch(c -> c.get() == 3));
        }
    }
}
