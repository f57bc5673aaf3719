package io.sluice.render.kustomize;

import io.sluice.contracts.events.ObjectRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each Kustomization was last rendered from, successfully: a second trigger of the same render
 * (its creation seen by the informer, then its source's artifact announced, both naming the same
 * artifact) is dropped instead of rendered and applied again. Only changes are dropped: a periodic
 * resync always renders, a failure is forgotten so the next trigger renders, and a restart forgets
 * everything.
 */
final class RenderedAttempts {
    /**
     * A render's inputs that a trigger can repeat: the object (its uid, so one recreated under the
     * same name renders), its spec (generation), a requested reconcile, and the artifact (its
     * revision, and its digest: a source's {@code ignore} change gives a new one at the same
     * revision).
     */
    record Inputs(
            String uid, long generation, String requestedAt, String revision, String digest) {}

    private final Map<ObjectRef, Inputs> rendered = new ConcurrentHashMap<>();

    boolean renderedAlready(ObjectRef object, Inputs inputs) {
        return inputs.equals(rendered.get(object));
    }

    void rendered(ObjectRef object, Inputs inputs) {
        rendered.put(object, inputs);
    }

    void forget(ObjectRef object) {
        rendered.remove(object);
    }
}
