package io.sluice.render.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.ServedKinds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Puts the release namespace on rendered objects of namespaced kinds that name none, as Helm does
 * when it installs (charts often leave {@code metadata.namespace} out). Whether a kind is
 * namespaced comes from the API server's discovery, or from a CRD rendered alongside; a kind
 * neither knows is taken as namespaced.
 */
final class NamespaceDefaulter {
    private final BiFunction<String, String, Optional<Boolean>> servedNamespaced;

    NamespaceDefaulter(KubernetesClient client) {
        this(new ServedKinds(client)::namespaced);
    }

    /**
     * {@code servedNamespaced}: whether the cluster serves a kind ({@code apiVersion}, {@code
     * kind}) as namespaced; empty when it does not serve it.
     */
    NamespaceDefaulter(BiFunction<String, String, Optional<Boolean>> servedNamespaced) {
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
        return servedNamespaced.apply(apiVersion, kind).orElse(true);
    }
}
