package io.sluice.render.kustomize;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.trace.Stages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs renders a few at a time while keeping each object's renders in the order they were asked
 * for: an object always renders in the same lane (by its key), and each lane runs one render at a
 * time. Each render is a {@code render} span in the trace that asked for it (an artifact's), or the
 * first span of a trace of its own (a resync).
 */
final class RenderLanes {
    private final List<ExecutorService> lanes = new ArrayList<>();
    private final Tracer tracer;

    RenderLanes(int count, Tracer tracer) {
        this.tracer = tracer;
        for (int i = 0; i < count; i++) {
            int lane = i;
            lanes.add(Executors.newSingleThreadExecutor(r -> new Thread(r, "render-" + lane)));
        }
    }

    CompletableFuture<Void> submit(ObjectRef object, Runnable render) {
        Context asking = Context.current();
        return CompletableFuture.runAsync(
                () -> Stages.run(tracer, Stages.RENDER, object, asking, render),
                lanes.get(Math.floorMod(object.key().hashCode(), lanes.size())));
    }

    void shutdown() {
        lanes.forEach(ExecutorService::shutdownNow);
    }
}
