package io.sluice.apply.pipeline;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Kustomization attempts may skip their writes when they render what was applied already
 * ({@link OwnerApply#recordUnchanged}): only one that differs from the owner's last fully applied
 * attempt by its source revision alone, within the owner's interval of that apply. A periodic
 * resync, a requested reconcile, a spec change, the first attempt after a restart or a failure, and
 * the first after an interval without a full apply (a repository committed to more often than the
 * interval postpones the resync) dry-run and apply every object, so whatever drift correction
 * missed is put right at the interval at the latest, as in Flux.
 */
final class RevisionOnlyChanges {
    private record Applied(long generation, String requestedAt, Instant at) {}

    private final Map<ObjectRef, Applied> fullyApplied = new ConcurrentHashMap<>();

    boolean revisionOnly(Attempt attempt, Duration interval) {
        Applied last = fullyApplied.get(attempt.object());
        return attempt.resyncAt() == null
                && last != null
                && last.generation() == attempt.generation()
                && Objects.equals(last.requestedAt(), attempt.requestedAt())
                && Instant.now().isBefore(last.at().plus(interval));
    }

    void fullyApplied(Attempt attempt) {
        fullyApplied.put(
                attempt.object(),
                new Applied(attempt.generation(), attempt.requestedAt(), Instant.now()));
    }

    void forget(ObjectRef object) {
        fullyApplied.remove(object);
    }
}
