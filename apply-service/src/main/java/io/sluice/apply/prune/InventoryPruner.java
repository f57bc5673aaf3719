package io.sluice.apply.prune;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.meta.Annotations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes what left Git: objects in the last inventory that the new one lacks. Only objects that
 * still carry their owner's ownership labels are deleted, never one annotated {@code
 * kustomize.toolkit.fluxcd.io/prune: disabled}, and Namespaces go last so their contents are
 * deleted explicitly first.
 */
public final class InventoryPruner {
    private final KubernetesClient client;
    private final DeletionPropagation propagation;

    public InventoryPruner(KubernetesClient client) {
        this(client, DeletionPropagation.BACKGROUND);
    }

    /**
     * {@code propagation}: what becomes of the objects each deleted one owns (a Deployment's
     * ReplicaSets), as Kubernetes' garbage collector reads it.
     */
    public InventoryPruner(KubernetesClient client, DeletionPropagation propagation) {
        this.client = client;
        this.propagation = propagation;
    }

    public List<AppliedObject> prune(
            Map<String, String> ownershipLabels, List<ObjectId> previous, Set<String> current) {
        List<ObjectId> stale =
                previous.stream()
                        .filter(id -> !current.contains(id.id()))
                        .sorted(
                                Comparator.comparing(
                                        (ObjectId id) -> "Namespace".equals(id.kind())))
                        .toList();
        List<AppliedObject> deleted = new ArrayList<>();
        for (ObjectId id : stale) {
            var resource =
                    id.namespace().isEmpty()
                            ? client.genericKubernetesResources(id.apiVersion(), id.kind())
                                    .withName(id.name())
                            : client.genericKubernetesResources(id.apiVersion(), id.kind())
                                    .inNamespace(id.namespace())
                                    .withName(id.name());
            GenericKubernetesResource live;
            try {
                live = resource.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    throw e; // not allowed to look: the object may well be there
                }
                continue; // the kind itself is gone (its CRD was pruned): nothing left to delete
            }
            if (live != null && owned(live, ownershipLabels) && !pruneDisabled(live)) {
                resource.withPropagationPolicy(propagation).delete();
                deleted.add(
                        new AppliedObject(
                                id.apiVersion(),
                                id.kind(),
                                id.namespace(),
                                id.name(),
                                AppliedObject.Action.DELETED,
                                null));
            }
        }
        return deleted;
    }

    private static boolean owned(
            GenericKubernetesResource live, Map<String, String> ownershipLabels) {
        Map<String, String> labels = live.getMetadata().getLabels();
        return labels != null && labels.entrySet().containsAll(ownershipLabels.entrySet());
    }

    private static boolean pruneDisabled(GenericKubernetesResource live) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        return annotations != null
                && Annotations.DISABLED.equals(annotations.get(Annotations.PRUNE));
    }
}
