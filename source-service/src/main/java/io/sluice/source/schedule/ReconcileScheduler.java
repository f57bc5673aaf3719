package io.sluice.source.schedule;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Runs each object's reconcile now or after a delay, never two at once for the same object: a
 * request that comes while one runs is queued behind it, and a newer request replaces a pending
 * one. A reconcile that throws is scheduled again after {@link #AFTER_ERROR}. Each run is told
 * whether it is the check at the object's interval (or after an error) rather than one asked for
 * {@link #now}; a run asked for after the interval check fell due counts as that check, so requests
 * that come more often than the interval (each one postpones the next timed run) never leave an
 * object without one.
 */
public final class ReconcileScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileScheduler.class);
    static final Duration AFTER_ERROR = Duration.ofSeconds(30);
    private final Duration afterError;

    private final ScheduledExecutorService executor;
    private final BiConsumer<ObjectRef, Boolean> reconcile;
    private final Map<ObjectRef, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Object> locks = new ConcurrentHashMap<>();

    /** When each object's interval check falls due (System.nanoTime), until a run counts as it. */
    private final Map<ObjectRef, Long> intervalDue = new ConcurrentHashMap<>();

    public ReconcileScheduler(int workers, BiConsumer<ObjectRef, Boolean> reconcile) {
        this(workers, reconcile, AFTER_ERROR);
    }

    ReconcileScheduler(int workers, BiConsumer<ObjectRef, Boolean> reconcile, Duration afterError) {
        this.afterError = afterError;
        this.executor =
                Executors.newScheduledThreadPool(
                        workers,
                        r -> {
                            Thread t = new Thread(r, "reconcile");
                            t.setDaemon(true);
                            return t;
                        });
        this.reconcile = reconcile;
    }

    public void now(ObjectRef object) {
        schedule(object, Duration.ZERO, false);
    }

    /** The object's next check at its interval, {@code delay} from now. */
    public void after(ObjectRef object, Duration delay) {
        intervalDue.putIfAbsent(object, System.nanoTime() + delay.toNanos());
        schedule(object, delay, true);
    }

    private void schedule(ObjectRef object, Duration delay, boolean atInterval) {
        // atomic per object: a task that starts (and reschedules itself) before this call returns
        // must not have its
        // next run cancelled by this call's own bookkeeping, or the object would never be polled
        // again
        pending.compute(
                object,
                (key, previous) -> {
                    if (previous != null) {
                        previous.cancel(false);
                    }
                    return executor.schedule(
                            () -> run(object, atInterval), delay.toMillis(), TimeUnit.MILLISECONDS);
                });
    }

    public void cancel(ObjectRef object) {
        ScheduledFuture<?> previous = pending.remove(object);
        if (previous != null) {
            previous.cancel(false);
        }
        locks.remove(object);
        intervalDue.remove(object);
    }

    /**
     * A reconcile that throws is tried again later: one unexpected error never stops an object's
     * polling for good.
     */
    private void run(ObjectRef object, boolean atInterval) {
        synchronized (locks.computeIfAbsent(object, o -> new Object())) {
            Long due = intervalDue.get(object);
            boolean interval = atInterval || (due != null && System.nanoTime() - due >= 0);
            if (interval) {
                intervalDue.remove(object); // the reconcile's next after() sets it again
            }
            try {
                reconcile.accept(object, interval);
            } catch (RuntimeException e) {
                LOG.errorf(
                        e,
                        "%s: reconcile failed unexpectedly; trying again in %s",
                        object,
                        afterError);
                after(object, afterError);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
