package io.sluice.source.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
                        (ref, atInterval) -> {
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

    /**
     * A check asked for now is not the one at the interval; the next one, scheduled by the run
     * itself, is (a HelmRelease's chart announced again then is its resync, and only then).
     */
    @Test
    void aRunIsToldWhetherItIsTheCheckAtTheInterval() {
        ObjectRef ref = new ObjectRef("HelmRelease", "ns", "release");
        List<Boolean> runs = new CopyOnWriteArrayList<>();
        AtomicReference<ReconcileScheduler> self = new AtomicReference<>();
        try (ReconcileScheduler scheduler =
                new ReconcileScheduler(
                        1,
                        (object, atInterval) -> {
                            runs.add(atInterval);
                            if (runs.size() < 3) {
                                self.get().after(object, Duration.ofMillis(10));
                            }
                        })) {
            self.set(scheduler);
            scheduler.now(ref);
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 3);
        }
        assertEquals(List.of(false, true, true), runs);
    }

    /**
     * Requests that come more often than the interval postpone the timed check each time: the first
     * one after the check fell due counts as it.
     */
    @Test
    void aRunAskedForOnceTheIntervalCheckFellDueCountsAsIt() {
        ObjectRef ref = new ObjectRef("HelmRelease", "ns", "busy");
        List<Boolean> runs = new CopyOnWriteArrayList<>();
        List<Long> times = new CopyOnWriteArrayList<>();
        AtomicReference<ReconcileScheduler> self = new AtomicReference<>();
        Duration interval = Duration.ofMillis(300);
        long start = System.nanoTime();
        try (ReconcileScheduler scheduler =
                new ReconcileScheduler(
                        1,
                        (object, atInterval) -> {
                            times.add(System.nanoTime());
                            runs.add(atInterval);
                            self.get().after(object, interval);
                        })) {
            self.set(scheduler);
            // a request every 100 ms: the timed run, 300 ms after the last run, never comes
            while (!runs.contains(true) && System.nanoTime() - start < 3_000_000_000L) {
                int before = runs.size();
                long asked = System.nanoTime();
                scheduler.now(ref);
                await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() > before);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> System.nanoTime() - asked > 100_000_000L);
            }
        }
        assertTrue(runs.contains(true), "a run counted as the interval check: " + runs);
        assertTrue(
                times.get(runs.indexOf(true)) - times.get(0) >= interval.toNanos(),
                "not before the interval: " + runs);
    }
}
