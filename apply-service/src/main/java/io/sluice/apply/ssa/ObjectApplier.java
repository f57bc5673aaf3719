package io.sluice.apply.ssa;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject.Action;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Applies one object with server-side apply under Sluice's field manager, conflicts forced. An existing object is
 * first applied as a dry run: when the result equals the live object nothing is sent and the object is unchanged.
 */
public final class ObjectApplier {
    private final KubernetesClient client;
    private final String fieldManager;

    public ObjectApplier(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    public Action apply(GenericKubernetesResource object) throws ApplyException {
        ObjectId id = ObjectId.of(object);
        try {
            GenericKubernetesResource live = client.resource(object).get();
            if (live == null) {
                client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
                return Action.CREATED;
            }
            GenericKubernetesResource dryRun = client.resource(object).dryRun().fieldManager(fieldManager).forceConflicts().serverSideApply();
            if (comparable(dryRun).equals(comparable(live))) {
                return Action.UNCHANGED;
            }
            client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
            return Action.CONFIGURED;
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            if (reason != null && reason.contains("Could not find a registered handler")) {
                reason = "the cluster has no " + id.apiVersion() + " " + id.kind() + " (is its CustomResourceDefinition installed?)";
            }
            throw new ApplyException(id.display() + " apply failed: " + reason, e);
        }
    }

    /** The object without the fields the server changes on every write. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(GenericKubernetesResource object) {
        Map<String, Object> copy = Serialization.jsonMapper().convertValue(object, new TypeReference<HashMap<String, Object>>() {
        });
        Map<String, Object> metadata = new HashMap<>((Map<String, Object>) copy.get("metadata"));
        metadata.keySet().removeAll(Set.of("managedFields", "resourceVersion", "generation"));
        copy.put("metadata", metadata);
        return copy;
    }
}
