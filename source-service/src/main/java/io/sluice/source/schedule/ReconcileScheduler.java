package io.sluice.source.schedule;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs each object's reconcile now or after a delay, never two at once for the same object: a request that comes
 * while one runs is queued behind it, and a newer request replaces a pending one.
 */
public final class ReconcileScheduler implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final Consumer<ObjectRef> reconcile;
    private final Map<ObjectRef, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Object> locks = new ConcurrentHashMap<>();

    public ReconcileScheduler(int workers, Consumer<ObjectRef> reconcile) {
        this.executor = Executors.newScheduledThreadPool(workers, r -> {
            Thread t = new Thread(r, "reconcile");
            t.setDaemon(true);
            return t;
        });
        this.reconcile = reconcile;
    }

    public void now(ObjectRef object) {
        after(object, Duration.ZERO);
    }

    public void after(ObjectRef object, Duration delay) {
        ScheduledFuture<?> next = executor.schedule(() -> run(object), delay.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pending.put(object, next);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    public void cancel(ObjectRef object) {
        ScheduledFuture<?> previous = pending.remove(object);
        if (previous != null) {
            previous.cancel(false);
        }
        locks.remove(object);
    }

    private void run(ObjectRef object) {
        synchronized (locks.computeIfAbsent(object, o -> new Object())) {
            reconcile.accept(object);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
