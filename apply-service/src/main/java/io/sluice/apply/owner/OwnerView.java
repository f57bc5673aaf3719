package io.sluice.apply.owner;

import io.sluice.contracts.events.ObjectRef;
import java.util.List;

/**
 * What the dependency gate and drift correction need of a Kustomization or HelmRelease, read from the informer cache.
 *
 * @param source the source it builds from ({@code kind/namespace/name}), to compare revisions of same-source dependencies
 */
public record OwnerView(ObjectRef ref, long generation, long observedGeneration, boolean ready, String lastAppliedRevision,
                        String source, List<ObjectRef> dependsOn, boolean suspended) {
}
