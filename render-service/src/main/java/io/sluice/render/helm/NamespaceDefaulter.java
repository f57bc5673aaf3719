package io.sluice.render.helm;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Puts the release namespace on rendered objects of namespaced kinds that name none, as Helm does
 * when it installs (charts often leave {@code metadata.namespace} out). Whether a kind is
 * namespaced comes from the API server's discovery, or from a CRD rendered alongside; a kind
 * neither knows is taken as namespaced.
 */
final class NamespaceDefaulter {
    private final Function<String, Boolean> servedNamespaced;
    private final Map<String, Boolean> namespaced = new ConcurrentHashMap<>();

    NamespaceDefaulter(KubernetesClient client) {
        this(apiVersionKind -> discoveredNamespaced(client, apiVersionKind));
    }

    /**
     * {@code servedNamespaced}: whether the cluster serves {@code <apiVersion>/<kind>} as a
     * namespaced kind; null when it does not serve it (yet: the answer is not kept, so a CRD
     * installed later is asked about again).
     */
    NamespaceDefaulter(Function<String, Boolean> servedNamespaced) {
        this.servedNamespaced = servedNamespaced;
    }

    void apply(List<Map<String, Object>> objects, String namespace) {
        for (Map<String, Object> object : objects) {
            if (lacksNamespace(objects, object)) {
                metadata(object).put("namespace", namespace);
            }
        }
    }

    private boolean lacksNamespace(List<Map<String, Object>> objects, Map<String, Object> object) {
        Object namespace = metadata(object).get("namespace");
        return (namespace == null || namespace.toString().isEmpty())
                && isNamespaced(
                        objects,
                        String.valueOf(object.get("apiVersion")),
                        String.valueOf(object.get("kind")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>)
                object.computeIfAbsent("metadata", k -> new java.util.LinkedHashMap<>());
    }

    private boolean isNamespaced(
            List<Map<String, Object>> rendered, String apiVersion, String kind) {
        for (Map<String, Object> object : rendered) {
            if ("CustomResourceDefinition".equals(object.get("kind"))
                    && object.get("spec") instanceof Map<?, ?> spec
                    && spec.get("names") instanceof Map<?, ?> names
                    && kind.equals(names.get("kind"))
                    && apiVersion.startsWith(spec.get("group") + "/")) {
                return "Namespaced".equals(spec.get("scope"));
            }
        }
        Boolean served = namespaced.computeIfAbsent(apiVersion + "/" + kind, servedNamespaced);
        return served == null || served;
    }

    private static Boolean discoveredNamespaced(KubernetesClient client, String apiVersionKind) {
        int slash = apiVersionKind.lastIndexOf('/');
        String apiVersion = apiVersionKind.substring(0, slash);
        String kind = apiVersionKind.substring(slash + 1);
        try {
            APIResourceList resources = client.getApiResources(apiVersion);
            return resources == null
                    ? null
                    : resources.getResources().stream()
                            .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                            .findFirst()
                            .map(r -> Boolean.TRUE.equals(r.getNamespaced()))
                            .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
