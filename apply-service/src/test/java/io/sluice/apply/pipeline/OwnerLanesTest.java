package io.sluice.apply.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.apply.ApplyConfig;
import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OwnerLanesTest {
    private static final ObjectRef LEAVING = new ObjectRef("HelmRelease", "ns", "leaving");
    private static final ObjectRef STAYING = new ObjectRef("HelmRelease", "ns", "staying");

    private final OwnerLanes lanes = new OwnerLanes(config(4));

    @Test
    void workOfAnOwnerThatLeavesIsInterruptedAndWaitedForAndItsFutureFails() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean cutShortSeen = new AtomicBoolean();
        AtomicBoolean stayingCutShort = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> leaving =
                lanes.submit(
                        LEAVING,
                        () -> {
                            started.countDown();
                            try {
                                new CountDownLatch(1).await(); // a hook's wait, say
                            } catch (InterruptedException e) {
                                cutShortSeen.set(lanes.cutShort());
                            }
                        });
        CompletableFuture<Void> staying =
                lanes.submit(
                        STAYING,
                        () -> {
                            started.countDown();
                            awaitQuietly(release);
                            stayingCutShort.set(lanes.cutShort());
                        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        lanes.cutShort(LEAVING::equals, Duration.ofSeconds(10));

        assertThat(leaving).as("ended before cutShort returned").isDone();
        assertThat(cutShortSeen).as("the interrupted work knew it was cut short").isTrue();
        assertThatThrownBy(leaving::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CancellationException.class);
        assertThat(staying).as("another owner's work goes on").isNotDone();
        release.countDown();
        staying.get(10, TimeUnit.SECONDS);
        assertThat(stayingCutShort).isFalse();
    }

    @Test
    void theNextWorkOnTheSameThreadIsNotCutShort() throws Exception {
        OwnerLanes oneLane = new OwnerLanes(config(1));
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> leaving =
                oneLane.submit(
                        LEAVING,
                        () -> {
                            started.countDown();
                            awaitQuietly(new CountDownLatch(1));
                        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        oneLane.cutShort(LEAVING::equals, Duration.ofSeconds(10));
        assertThat(leaving).isCompletedExceptionally();

        AtomicBoolean interrupted = new AtomicBoolean(true);
        AtomicBoolean cutShort = new AtomicBoolean(true);
        oneLane.submit(
                        STAYING,
                        () -> {
                            interrupted.set(Thread.currentThread().isInterrupted());
                            cutShort.set(oneLane.cutShort());
                        })
                .get(10, TimeUnit.SECONDS);
        assertThat(interrupted).isFalse();
        assertThat(cutShort).isFalse();
    }

    @Test
    void cuttingShortWaitsNoLongerThanItsBound() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> stubborn =
                lanes.submit(
                        LEAVING,
                        () -> {
                            started.countDown();
                            // ignores the interrupt, as a call that cannot be interrupted would
                            while (release.getCount() > 0) {
                                awaitQuietly(release);
                            }
                        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        lanes.cutShort(LEAVING::equals, Duration.ofMillis(200));
        assertThat(stubborn).isNotDone();
        release.countDown();
        assertThatThrownBy(() -> stubborn.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CancellationException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            // the test's own: ignored
        }
    }

    private static ApplyConfig config(int concurrent) {
        return new ApplyConfig() {
            @Override
            public String fieldManager() {
                return "sluice";
            }

            @Override
            public Optional<List<String>> overrideManagers() {
                return Optional.empty();
            }

            @Override
            public int concurrent() {
                return concurrent;
            }
        };
    }
}
