package io.sluice.apply.prune;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extension.ExtensibleResource;
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
    private static final int HTTP_CONFLICT = 409;
    private static final int ATTEMPTS = 5;
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
            if (deleteIfStillOwned(id, ownershipLabels)) {
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

    /**
     * Deletes the object if it is still the owner's, on condition that it has not changed since it
     * was read (its resourceVersion): another Kustomization that takes it over between the read and
     * the delete makes the delete fail with 409, and the object is read and judged again. One that
     * changes every time it is read (a busy status) fails the prune, which is retried, with the
     * object still in the inventory.
     */
    private boolean deleteIfStillOwned(ObjectId id, Map<String, String> ownershipLabels) {
        var resource =
                id.namespace().isEmpty()
                        ? client.genericKubernetesResources(id.apiVersion(), id.kind())
                                .withName(id.name())
                        : client.genericKubernetesResources(id.apiVersion(), id.kind())
                                .inNamespace(id.namespace())
                                .withName(id.name());
        for (int attempt = 1; ; attempt++) {
            GenericKubernetesResource live;
            try {
                live = resource.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    throw e; // not allowed to look: the object may well be there
                }
                return false; // the kind itself is gone (its CRD was pruned): nothing to delete
            }
            if (live == null || !owned(live, ownershipLabels) || pruneDisabled(live)) {
                return false;
            }
            try {
                // fabric8's DSL sets a propagation policy or a resourceVersion precondition, not
                // both, on its interfaces; its resources are ExtensibleResources, which do both
                ((ExtensibleResource<GenericKubernetesResource>) resource)
                        .withPropagationPolicy(propagation)
                        .lockResourceVersion(live.getMetadata().getResourceVersion())
                        .delete();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
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
