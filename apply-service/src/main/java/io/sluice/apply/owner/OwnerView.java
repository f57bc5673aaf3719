package io.sluice.apply.owner;

import io.sluice.contracts.events.ObjectRef;
import java.util.List;

/**
 * What the dependency gate and drift correction need of a Kustomization or HelmRelease, read from the informer cache.
 *
 * @param deleting  the object has a deletion timestamp
 * @param finalized Sluice's finalizer is on it
 * @param source the source it builds from ({@code kind/namespace/name}), to compare revisions of same-source dependencies
 */
public record OwnerView(ObjectRef ref, long generation, long observedGeneration, boolean ready, String lastAppliedRevision,
                        String source, List<ObjectRef> dependsOn, boolean suspended,
                        boolean deleting, boolean finalized) {
}
