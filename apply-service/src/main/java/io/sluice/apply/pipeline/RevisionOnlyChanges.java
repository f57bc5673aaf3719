package io.sluice.apply.pipeline;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Kustomization attempts may skip their writes when they render what was applied already
 * ({@link OwnerApply#recordUnchanged}): only one that differs from the owner's last fully applied
 * attempt by its source revision alone. A periodic resync, a requested reconcile, a spec change,
 * the first attempt after a restart and the next after a failure dry-run and apply every object, so
 * whatever drift correction missed is put right at the interval at the latest, as in Flux.
 */
final class RevisionOnlyChanges {
    private record Applied(long generation, String requestedAt) {}

    private final Map<ObjectRef, Applied> fullyApplied = new ConcurrentHashMap<>();

    boolean revisionOnly(Attempt attempt) {
        Applied last = fullyApplied.get(attempt.object());
        return attempt.resyncAt() == null
                && last != null
                && last.generation() == attempt.generation()
                && Objects.equals(last.requestedAt(), attempt.requestedAt());
    }

    void fullyApplied(Attempt attempt) {
        fullyApplied.put(
                attempt.object(), new Applied(attempt.generation(), attempt.requestedAt()));
    }

    void forget(ObjectRef object) {
        fullyApplied.remove(object);
    }
}
