package io.sluice.source.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileSchedulerTest {

    @Test
    void aReconcileThatThrowsIsTriedAgainInsteadOfStoppingForGood() {
        AtomicInteger calls = new AtomicInteger();
        try (ReconcileScheduler scheduler = new ReconcileScheduler(1, ref -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("boom");
            }
        }, Duration.ofMillis(50))) {
            scheduler.now(new ObjectRef("GitRepository", "ns", "repo"));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3);
        }
        assertThat(calls.get()).isEqualTo(3);
    }
}
