package io.sluice.apply.pipeline;

import io.sluice.contracts.events.ObjectRef;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Many owners in flight, each one's work in the order it came: work for an owner starts when its previous work ended
 * (however that ended), so one owner's long hook wait holds up only that owner.
 */
final class OwnerLanes {
    private final ExecutorService workers;
    private final Map<ObjectRef, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    OwnerLanes(int threads) {
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "owner-lane");
            t.setDaemon(true);
            return t;
        });
    }

    CompletableFuture<Void> submit(ObjectRef owner, Runnable work) {
        CompletableFuture<Void> next = tails.compute(owner, (key, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .handle((done, error) -> null)
                .thenRunAsync(work, workers));
        next.whenComplete((done, error) -> tails.remove(owner, next));
        return next;
    }

    void shutdown() {
        workers.shutdownNow();
    }
}
