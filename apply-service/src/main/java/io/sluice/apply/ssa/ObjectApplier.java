package io.sluice.apply.ssa;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.events.AppliedObject.Action;
import io.sluice.contracts.meta.Annotations;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Applies one object with server-side apply under Sluice's field manager, conflicts forced. An existing object is
 * first applied as a dry run: when the result equals the live object nothing is sent and the object is unchanged.
 * Flux's per-object annotations are honoured: {@code reconcile: disabled} (in Git or in the cluster) and
 * {@code ssa: Ignore} leave the object alone, {@code ssa: IfNotPresent} only creates it. With {@code force}, an
 * object whose change the API server refuses as immutable is deleted and created again.
 */
public final class ObjectApplier {
    private final KubernetesClient client;
    private final String fieldManager;

    public ObjectApplier(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    public Action apply(GenericKubernetesResource object, boolean force) throws ApplyException {
        ObjectId id = ObjectId.of(object);
        try {
            if (leftAlone(object)) {
                return Action.UNCHANGED;
            }
            GenericKubernetesResource live = client.resource(object).get();
            if (live == null) {
                client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
                return Action.CREATED;
            }
            if (leftAlone(live) || Annotations.SSA_IF_NOT_PRESENT.equals(annotation(object, Annotations.SSA))) {
                return Action.UNCHANGED;
            }
            GenericKubernetesResource dryRun;
            try {
                dryRun = client.resource(object).dryRun().fieldManager(fieldManager).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                if (force && immutable(e)) {
                    recreate(object);
                    return Action.CONFIGURED;
                }
                throw e;
            }
            if (comparable(dryRun).equals(comparable(live))) {
                return Action.UNCHANGED;
            }
            client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
            return Action.CONFIGURED;
        } catch (KubernetesClientException e) {
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            if (reason != null && reason.contains("Could not find a registered handler")) {
                reason = "the cluster has no " + id.apiVersion() + " " + id.kind() + " (is its CustomResourceDefinition installed?)";
            } else if (immutable(e)) {
                reason = reason + " (set spec.force: true to have Sluice delete and recreate it)";
            }
            throw new ApplyException(id.display() + " apply failed: " + reason, e);
        }
    }

    /** Whether the object, as given or as live, asks to be left as it is. */
    public static boolean leftAlone(HasMetadata object) {
        return Annotations.DISABLED.equals(annotation(object, Annotations.RECONCILE))
                || Annotations.SSA_IGNORE.equals(annotation(object, Annotations.SSA));
    }

    private void recreate(GenericKubernetesResource object) {
        client.resource(object).withTimeout(60, TimeUnit.SECONDS).delete();
        client.resource(object).waitUntilCondition(o -> o == null, 60, TimeUnit.SECONDS);
        client.resource(object).fieldManager(fieldManager).forceConflicts().serverSideApply();
    }

    private static boolean immutable(KubernetesClientException e) {
        return e.getCode() == 422 && e.getMessage() != null && e.getMessage().contains("immutable");
    }

    public static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The object without the fields the server changes on every write. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> comparable(GenericKubernetesResource object) {
        Map<String, Object> copy = Serialization.jsonMapper().convertValue(object, new TypeReference<HashMap<String, Object>>() {
        });
        Map<String, Object> metadata = new HashMap<>((Map<String, Object>) copy.get("metadata"));
        metadata.keySet().removeAll(Set.of("managedFields", "resourceVersion", "generation"));
        copy.put("metadata", metadata);
        return copy;
    }
}
