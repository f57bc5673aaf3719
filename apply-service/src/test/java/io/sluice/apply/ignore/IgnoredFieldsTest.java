package io.sluice.apply.ignore;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IgnoredFieldsTest {
    private static final String SLUICE = "sluice";

    /**
     * fluxcd/pkg/ssa: an ignored field another applier owns is left out of the payload; one only
     * Sluice (or an Update, as an HPA's scale) set is applied with its live value; an ignored field
     * equal in both is left as Git has it.
     */
    @Test
    void anIgnoredFieldIsLeftOutWhenAnotherApplierOwnsItElseKeptAsLive() {
        GenericKubernetesResource desired =
                deployment(1, "nginx:1.27", Map.of("team", "a"), List.of());
        GenericKubernetesResource dryRun =
                deployment(1, "nginx:1.27", Map.of("team", "a"), List.of());
        GenericKubernetesResource live =
                deployment(
                        3,
                        "nginx:1.26",
                        Map.of("team", "b"),
                        List.of(
                                entry(SLUICE, "Apply", "{\"f:spec\":{\"f:replicas\":{}}}"),
                                entry("hpa", "Update", "{\"f:spec\":{\"f:replicas\":{}}}"),
                                entry(
                                        "other",
                                        "Apply",
                                        "{\"f:metadata\":{\"f:annotations\":{\"f:team\":{}}},"
                                                + "\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                                                + "{\"k:{\\\"name\\\":\\\"app\\\"}\":{\"f:image\":{}}}}}}}")));
        Map<String, Object> payload =
                map(
                        IgnoredFields.payload(
                                desired,
                                live,
                                dryRun,
                                List.of(
                                        "/spec/replicas",
                                        "/metadata/annotations/team",
                                        "/spec/template/spec/containers/0/image",
                                        "/spec/paused"),
                                SLUICE));
        assertThat(JsonPointers.get(payload, "/spec/replicas")).contains(3);
        assertThat(JsonPointers.get(payload, "/metadata/annotations/team")).isEmpty();
        assertThat(JsonPointers.get(payload, "/spec/template/spec/containers/0/image")).isEmpty();
        assertThat(JsonPointers.get(payload, "/spec/template/spec/containers/0/name"))
                .contains("app");
    }

    @Test
    void withoutRulesThePayloadIsGitsObject() {
        GenericKubernetesResource desired = deployment(1, "nginx:1.27", Map.of(), List.of());
        assertThat(
                        IgnoredFields.payload(
                                desired,
                                deployment(3, "nginx:1.26", Map.of(), List.of()),
                                desired,
                                List.of(),
                                SLUICE))
                .isSameAs(desired);
    }

    @Test
    void aFieldAbsentLiveIsLeftOut() {
        GenericKubernetesResource desired =
                deployment(1, "nginx:1.27", Map.of("team", "a"), List.of());
        Map<String, Object> payload =
                map(
                        IgnoredFields.payload(
                                desired,
                                deployment(1, "nginx:1.27", Map.of(), List.of()),
                                desired,
                                List.of("/metadata/annotations/team"),
                                SLUICE));
        assertThat(JsonPointers.get(payload, "/metadata/annotations/team")).isEmpty();
    }

    @Test
    void jsonPointersReadAndWriteNestedFieldsListsAndEscapedKeys() {
        Map<String, Object> object =
                new LinkedHashMap<>(
                        Map.of(
                                "metadata",
                                new LinkedHashMap<>(
                                        Map.of(
                                                "annotations",
                                                new LinkedHashMap<>(Map.of("a/b", "x")))),
                                "spec",
                                new LinkedHashMap<>(
                                        Map.of(
                                                "ports",
                                                new java.util.ArrayList<>(
                                                        List.of(
                                                                new LinkedHashMap<>(
                                                                        Map.of("port", 80))))))));
        assertThat(JsonPointers.get(object, "/metadata/annotations/a~1b")).contains("x");
        assertThat(JsonPointers.get(object, "/spec/ports/0/port")).contains(80);
        assertThat(JsonPointers.get(object, "/spec/replicas")).isEmpty();
        assertThat(JsonPointers.set(object, "/spec/ports/0/port", 8080)).isTrue();
        assertThat(JsonPointers.get(object, "/spec/ports/0/port")).contains(8080);
        assertThat(JsonPointers.set(object, "/metadata/annotations/a~1b", null)).isTrue();
        assertThat(JsonPointers.get(object, "/metadata/annotations/a~1b")).isEmpty();
        assertThat(JsonPointers.set(object, "/status/phase", "x")).as("no parent").isFalse();
        assertThat(JsonPointers.put(object, "/status/phase", "x")).as("parent made").isTrue();
        assertThat(JsonPointers.get(object, "/status/phase")).contains("x");
        assertThat(JsonPointers.put(object, "/metadata/labels/a~1b", "y")).isTrue();
        assertThat(JsonPointers.get(object, "/metadata/labels/a~1b")).contains("y");
        assertThat(JsonPointers.put(object, "/spec/ports/3/port", 1))
                .as("a list lacking the item")
                .isFalse();
    }

    private static GenericKubernetesResource deployment(
            int replicas, String image, Map<String, String> annotations, List<Object> managed) {
        return Serialization.jsonMapper()
                .convertValue(
                        Map.of(
                                "apiVersion",
                                "apps/v1",
                                "kind",
                                "Deployment",
                                "metadata",
                                Map.of(
                                        "name",
                                        "web",
                                        "namespace",
                                        "apps",
                                        "annotations",
                                        annotations,
                                        "managedFields",
                                        managed),
                                "spec",
                                Map.of(
                                        "replicas",
                                        replicas,
                                        "template",
                                        Map.of(
                                                "spec",
                                                Map.of(
                                                        "containers",
                                                        List.of(
                                                                Map.of(
                                                                        "name", "app", "image",
                                                                        image)))))),
                        GenericKubernetesResource.class);
    }

    private static Map<String, Object> entry(String manager, String operation, String fields) {
        try {
            return Map.of(
                    "manager",
                    manager,
                    "operation",
                    operation,
                    "fieldsType",
                    "FieldsV1",
                    "fieldsV1",
                    Serialization.jsonMapper().readValue(fields, Map.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(GenericKubernetesResource object) {
        return Serialization.jsonMapper().convertValue(object, Map.class);
    }
}
