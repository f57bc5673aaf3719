package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * Status is patched, never rewritten: each service merge-patches only the status fields it owns, so
 * services writing different fields of one object never overwrite each other.
 */
public final class StatusPatches {

    private StatusPatches() {}

    public static <T extends HasMetadata> void merge(
            KubernetesClient client,
            Class<T> type,
            String namespace,
            String name,
            Map<String, Object> fields) {
        client.resources(type)
                .inNamespace(namespace)
                .withName(name)
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("status", fields)));
    }
}
