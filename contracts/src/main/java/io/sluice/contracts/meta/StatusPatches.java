package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
        client.resource(Stubs.named(type, namespace, name))
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("status", fields)));
    }

    /**
     * Merge-patches {@code fields} and the object's conditions as {@code change} makes them from
     * the ones read, on condition that nobody wrote the object since (its resourceVersion), read
     * again and tried again if somebody did: conditions are one list, and apply-service and
     * health-service each set some of them.
     */
    public static <T extends HasMetadata> void mergeConditions(
            KubernetesClient client,
            Class<T> type,
            String namespace,
            String name,
            Function<T, List<Condition>> current,
            UnaryOperator<List<Condition>> change,
            Map<String, Object> fields) {
        mergeConditions(client, type, namespace, name, null, current, change, fields);
    }

    /** As above, starting from {@code read}, the object as the caller just read it, if not null. */
    public static <T extends HasMetadata> void mergeConditions(
            KubernetesClient client,
            Class<T> type,
            String namespace,
            String name,
            T read,
            Function<T, List<Condition>> current,
            UnaryOperator<List<Condition>> change,
            Map<String, Object> fields) {
        for (int attempt = 1; ; attempt++) {
            T live =
                    attempt == 1 && read != null
                            ? read
                            : client.resources(type).inNamespace(namespace).withName(name).get();
            if (live == null) {
                return;
            }
            Map<String, Object> status = new HashMap<>(fields);
            status.put("conditions", change.apply(current.apply(live)));
            Map<String, Object> patch =
                    Map.of(
                            "metadata",
                            Map.of("resourceVersion", live.getMetadata().getResourceVersion()),
                            "status",
                            status);
            try {
                client.resource(live)
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= 5) {
                    throw e;
                }
            }
        }
    }
}
