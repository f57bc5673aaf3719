package io.sluice.apply.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.apply.ApplyConfig;
import io.sluice.contracts.events.ObjectRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Many owners in flight, each one's work in the order it came: work for an owner starts when its
 * previous work ended (however that ended), so one owner's long hook wait holds up only that owner.
 * Every step for an owner (apply, verdict, deletion) runs here, so none of them ever runs beside
 * another for the same owner.
 */
@ApplicationScoped
public class OwnerLanes {
    private final ExecutorService workers;
    private final Map<ObjectRef, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public OwnerLanes(ApplyConfig config) {
        workers =
                Executors.newFixedThreadPool(
                        lanes(config),
                        r -> {
                            Thread t = new Thread(r, "owner-lane");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** {@code sluice.apply.concurrent}, refused unless it is at least 1. */
    static int lanes(ApplyConfig config) {
        if (config.concurrent() < 1) {
            throw new IllegalArgumentException(
                    "sluice.apply.concurrent (SLUICE_APPLY_CONCURRENT) must be at least 1, not "
                            + config.concurrent());
        }
        return config.concurrent();
    }

    public CompletableFuture<Void> submit(ObjectRef owner, Runnable work) {
        CompletableFuture<Void> next =
                tails.compute(
                        owner,
                        (key, tail) ->
                                (tail == null
                                                ? CompletableFuture.<Void>completedFuture(null)
                                                : tail)
                                        .handle((done, error) -> null)
                                        .thenRunAsync(work, workers));
        next.whenComplete((done, error) -> tails.remove(owner, next));
        return next;
    }

    /**
     * True once the service is shutting down: work cut short now is not a failure of the owner's
     * (it is redone after the restart).
     */
    public boolean stopping() {
        return stopping;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        workers.shutdownNow();
    }
}
