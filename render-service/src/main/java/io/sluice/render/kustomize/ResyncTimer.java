package io.sluice.render.kustomize;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Level-triggered reconciliation, as Flux's controllers requeue: after every render of an object
 * its next one is due at its interval (its retry interval after a failure); a newer render replaces
 * the one pending. So a lost event, a restart or a broker outage heals by itself at the next
 * interval at the latest.
 */
final class ResyncTimer {
    private static final Logger LOG = Logger.getLogger(ResyncTimer.class);

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "resync");
                        t.setDaemon(true);
                        return t;
                    });
    private final Map<ObjectRef, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    void schedule(ObjectRef object, Duration delay, Runnable resync) {
        // atomic per object, so that a resync that starts before this call returns is never
        // cancelled by it
        pending.compute(
                object,
                (key, previous) -> {
                    if (previous != null) {
                        previous.cancel(false);
                    }
                    return timer.schedule(
                            () -> {
                                try {
                                    resync.run();
                                } catch (RuntimeException e) {
                                    LOG.errorf(e, "%s: resync failed", object);
                                }
                            },
                            delay.toMillis(),
                            TimeUnit.MILLISECONDS);
                });
    }

    void cancel(ObjectRef object) {
        ScheduledFuture<?> previous = pending.remove(object);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    void shutdown() {
        timer.shutdownNow();
    }
}
