package io.sluice.render.kustomize;

import io.sluice.contracts.events.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs renders a few at a time while keeping each object's renders in the order they were asked
 * for: an object always renders in the same lane (by its key), and each lane runs one render at a
 * time.
 */
final class RenderLanes {
    private final List<ExecutorService> lanes = new ArrayList<>();

    RenderLanes(int count) {
        for (int i = 0; i < count; i++) {
            int lane = i;
            lanes.add(Executors.newSingleThreadExecutor(r -> new Thread(r, "render-" + lane)));
        }
    }

    CompletableFuture<Void> submit(ObjectRef object, Runnable render) {
        return CompletableFuture.runAsync(
                render, lanes.get(Math.floorMod(object.key().hashCode(), lanes.size())));
    }

    void shutdown() {
        lanes.forEach(ExecutorService::shutdownNow);
    }
}
