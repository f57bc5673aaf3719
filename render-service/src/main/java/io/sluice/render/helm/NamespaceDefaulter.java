package io.sluice.render.helm;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts the release namespace on rendered objects of namespaced kinds that name none, as Helm does when it installs
 * (charts often leave {@code metadata.namespace} out). Whether a kind is namespaced comes from the API server's
 * discovery, or from a CRD rendered alongside; an unknown kind is taken as namespaced.
 */
final class NamespaceDefaulter {
    private final KubernetesClient client;
    private final Map<String, Boolean> namespaced = new ConcurrentHashMap<>();

    NamespaceDefaulter(KubernetesClient client) {
        this.client = client;
    }

    @SuppressWarnings("unchecked")
    void apply(List<Map<String, Object>> objects, String namespace) {
        for (Map<String, Object> object : objects) {
            Map<String, Object> metadata = (Map<String, Object>) object.computeIfAbsent("metadata", k -> new java.util.LinkedHashMap<>());
            if (metadata.get("namespace") == null && isNamespaced(objects, String.valueOf(object.get("apiVersion")), String.valueOf(object.get("kind")))) {
                metadata.put("namespace", namespace);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private boolean isNamespaced(List<Map<String, Object>> rendered, String apiVersion, String kind) {
        for (Map<String, Object> object : rendered) {
            if ("CustomResourceDefinition".equals(object.get("kind")) && object.get("spec") instanceof Map<?, ?> spec
                    && spec.get("names") instanceof Map<?, ?> names && kind.equals(names.get("kind"))
                    && apiVersion.startsWith(spec.get("group") + "/")) {
                return "Namespaced".equals(spec.get("scope"));
            }
        }
        return namespaced.computeIfAbsent(apiVersion + "/" + kind, key -> {
            try {
                APIResourceList resources = client.getApiResources(apiVersion);
                return resources == null || resources.getResources().stream()
                        .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                        .findFirst().map(r -> Boolean.TRUE.equals(r.getNamespaced())).orElse(true);
            } catch (RuntimeException e) {
                return true;
            }
        });
    }
}
