package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import java.util.Map;

/**
 * Whether another Kustomization (or HelmRelease) has taken a live object over: its owner labels
 * name that one. An object moved from one Kustomization to another in a commit is applied by the
 * new owner first (the old one, when it depends on the new, is held until then), and until the old
 * owner applies the commit its desired state still holds the object: correcting it back would undo
 * the move, and the old owner's prune would then find the object labelled as its own and delete it.
 * Labels that were removed, not replaced, are drift.
 */
final class TakenOver {
    private TakenOver() {}

    static boolean from(ObjectRef owner, GenericKubernetesResource live) {
        Map<String, String> labels = live.getMetadata().getLabels();
        if (labels == null) {
            return false;
        }
        boolean helm = HelmRelease.KIND.equals(owner.kind());
        String name =
                labels.get(helm ? Annotations.HELM_OWNER_NAME_LABEL : Annotations.OWNER_NAME_LABEL);
        String namespace =
                labels.get(
                        helm
                                ? Annotations.HELM_OWNER_NAMESPACE_LABEL
                                : Annotations.OWNER_NAMESPACE_LABEL);
        return name != null && !(name.equals(owner.name()) && owner.namespace().equals(namespace));
    }
}
