package io.sluice.apply.ssa;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagedApplierTest {
    @Test
    void definitionsThenClassesThenTheRestThenWebhooks() {
        List<GenericKubernetesResource> objects =
                StagedApplier.resources(
                        List.of(
                                object("ValidatingWebhookConfiguration", null),
                                object("Deployment", null),
                                object("IngressClass", null),
                                object("Namespace", null),
                                object("CustomResourceDefinition", null)));
        assertThat(
                        objects.stream()
                                .sorted(Comparator.comparingInt(StagedApplier::stage))
                                .map(
                                        o ->
                                                o.getKind()
                                                        + (ObjectApplier.annotation(
                                                                                o, "helm.sh/hook")
                                                                        == null
                                                                ? ""
                                                                : ":"
                                                                        + ObjectApplier.annotation(
                                                                                o, "helm.sh/hook")))
                                .toList())
                .containsExactly(
                        "Namespace",
                        "CustomResourceDefinition",
                        "IngressClass",
                        "Deployment",
                        "ValidatingWebhookConfiguration");
    }

    private static Map<String, Object> object(String kind, String hook) {
        Map<String, Object> metadata =
                hook == null
                        ? Map.of("name", "x")
                        : Map.of("name", "x", "annotations", Map.of("helm.sh/hook", hook));
        return Map.of("apiVersion", "v1", "kind", kind, "metadata", metadata);
    }
}
