package io.sluice.apply.ssa;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.AppliedObject.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Applies a set of objects in Flux's stages: cluster definitions (CRDs, Namespaces, ClusterRoles) first, waiting for
 * new CRDs to be established so that their custom resources can follow; then everything else in the order given.
 */
public final class StagedApplier {
    private static final Set<String> FIRST_STAGE = Set.of("CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding");
    private static final Duration CRD_ESTABLISH_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ObjectApplier applier;

    public StagedApplier(KubernetesClient client, ObjectApplier applier) {
        this.client = client;
        this.applier = applier;
    }

    public List<AppliedObject> apply(List<GenericKubernetesResource> objects) throws ApplyException {
        List<AppliedObject> changes = new ArrayList<>();
        List<GenericKubernetesResource> first = objects.stream().filter(o -> FIRST_STAGE.contains(o.getKind())).toList();
        List<GenericKubernetesResource> rest = objects.stream().filter(o -> !FIRST_STAGE.contains(o.getKind())).toList();
        for (GenericKubernetesResource object : first) {
            changes.add(applied(object, applier.apply(object)));
        }
        for (GenericKubernetesResource crd : first) {
            if ("CustomResourceDefinition".equals(crd.getKind())) {
                awaitEstablished(crd.getMetadata().getName());
            }
        }
        for (GenericKubernetesResource object : rest) {
            changes.add(applied(object, applier.apply(object)));
        }
        return changes;
    }

    private void awaitEstablished(String name) throws ApplyException {
        try {
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(crd -> crd != null
                    && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
                    CRD_ESTABLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientException e) {
            throw new ApplyException("CustomResourceDefinition/" + name + " was not established within "
                    + CRD_ESTABLISH_TIMEOUT.toSeconds() + "s", e);
        }
    }

    private static AppliedObject applied(GenericKubernetesResource object, Action action) {
        ObjectId id = ObjectId.of(object);
        return new AppliedObject(id.apiVersion(), id.kind(), id.namespace(), id.name(), action);
    }

    /** The objects of a rendered bundle as the client's generic resources. */
    public static List<GenericKubernetesResource> resources(List<Map<String, Object>> objects) {
        return objects.stream()
                .map(o -> Serialization.jsonMapper().convertValue(o, GenericKubernetesResource.class))
                .toList();
    }
}
