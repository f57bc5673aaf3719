package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Kinds here are defined by a CRD in the same bundle; the cluster serves CustomResourceDefinition
 * cluster-scoped.
 */
class NamespaceDefaulterTest {
    private final NamespaceDefaulter defaulter =
            new NamespaceDefaulter(
                    (apiVersion, kind) ->
                            kind.equals("CustomResourceDefinition")
                                    ? Optional.of(false)
                                    : Optional.empty());

    @Test
    void namespacedObjectsWithoutANamespaceGetTheReleaseNamespace() {
        Map<String, Object> widget = object("Widget", "gizmo", null);
        Map<String, Object> platform = object("Platform", "main", null);
        defaulter.apply(
                List.of(crd("Widget", "Namespaced"), crd("Platform", "Cluster"), widget, platform),
                "apps");
        assertThat(widget).extracting("metadata").extracting("namespace").isEqualTo("apps");
        assertThat(((Map<?, ?>) platform.get("metadata")).containsKey("namespace")).isFalse();
    }

    private static Map<String, Object> crd(String kind, String scope) {
        return new LinkedHashMap<>(
                Map.of(
                        "apiVersion",
                        "apiextensions.k8s.io/v1",
                        "kind",
                        "CustomResourceDefinition",
                        "metadata",
                        new LinkedHashMap<>(
                                Map.of("name", kind.toLowerCase() + "s.test.sluice.io")),
                        "spec",
                        Map.of(
                                "group",
                                "test.sluice.io",
                                "scope",
                                scope,
                                "names",
                                Map.of("kind", kind))));
    }

    private static Map<String, Object> object(String kind, String name, String namespace) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", name));
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        return new LinkedHashMap<>(
                Map.of("apiVersion", "test.sluice.io/v1", "kind", kind, "metadata", metadata));
    }
}
