package io.sluice.apply.owner;

import io.sluice.apply.drift.DriftPolicy;
import io.sluice.contracts.events.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the dependency gate and drift correction need of a Kustomization or HelmRelease, read from
 * the informer cache.
 *
 * @param deleting the object has a deletion timestamp
 * @param finalized Sluice's finalizer is on it
 * @param drift what is done about its objects' drift
 * @param lastAppliedRevision a Kustomization's {@code status.lastAppliedRevision}; null for a
 *     HelmRelease
 * @param source the source a Kustomization builds from ({@code kind/namespace/name}), to compare
 *     revisions of same-source dependencies as kustomize-controller does; null for a HelmRelease
 */
public record OwnerView(
        ObjectRef ref,
        long generation,
        long observedGeneration,
        boolean ready,
        String lastAppliedRevision,
        String source,
        List<ObjectRef> dependsOn,
        boolean suspended,
        boolean deleting,
        boolean finalized,
        DriftPolicy drift,
        Map<ObjectRef, String> readyExprs,
        Supplier<Map<String, Object>> object) {}
