package io.sluice.apply.ssa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataCleanupTest {
    private final MetadataCleanup cleanup = new MetadataCleanup("sluice", List.of("my-editor"));

    @Test
    void fluxsOwnApplyEntryBecomesSluicesWhenSluiceHasNone() {
        List<Map<String, Object>> taken =
                cleanup.takeOver(
                        List.of(
                                entry("kustomize-controller", "Apply", "", fields("f:data", "f:a")),
                                entry(
                                        "kube-controller-manager",
                                        "Update",
                                        "",
                                        fields("f:status", "f:x"))),
                        false);

        assertThat(taken)
                .containsExactly(
                        entry("kube-controller-manager", "Update", "", fields("f:status", "f:x")),
                        entry("sluice", "Apply", "", fields("f:data", "f:a")));
    }

    @Test
    void anOverrideManagersEntriesAreTakenOverAndOnlyTheirs() {
        List<Map<String, Object>> taken =
                cleanup.takeOver(
                        List.of(
                                entry("my-editor", "Update", "", fields("f:data", "f:a")),
                                entry("my-editor-2", "Apply", "", fields("f:data", "f:b")),
                                entry("other-editor", "Update", "", fields("f:data", "f:c"))),
                        false);

        assertThat(taken)
                .as(
                        "by name prefix, Apply and Update, as kustomize-controller's --override-manager")
                .containsExactly(
                        entry("other-editor", "Update", "", fields("f:data", "f:c")),
                        entry(
                                "sluice",
                                "Apply",
                                "",
                                Map.of("f:data", Map.of("f:a", Map.of(), "f:b", Map.of()))));
        assertThat(
                        new MetadataCleanup("sluice", List.of())
                                .takeOver(
                                        List.of(
                                                entry(
                                                        "my-editor",
                                                        "Update",
                                                        "",
                                                        fields("f:data", "f:a"))),
                                        false))
                .as("without it, left alone")
                .isNull();
    }

    @Test
    void everyOtherMatchIsMergedIntoSluicesApplyEntryWhichGoesLast() {
        List<Map<String, Object>> taken =
                cleanup.takeOver(
                        List.of(
                                entry("sluice", "Apply", "", fields("f:data", "f:a")),
                                entry(
                                        "kubectl-client-side-apply",
                                        "Update",
                                        "",
                                        fields("f:data", "f:b")),
                                entry(
                                        "helm-controller",
                                        "Update",
                                        "",
                                        fields("f:metadata", "f:labels")),
                                entry("kubectl", "Update", "status", fields("f:status", "f:y"))),
                        true);

        Map<String, Object> own = taken.get(taken.size() - 1);
        assertThat(own.get("manager")).isEqualTo("sluice");
        assertThat(own.get("fieldsV1"))
                .isEqualTo(
                        Map.of(
                                "f:data", Map.of("f:a", Map.of(), "f:b", Map.of()),
                                "f:metadata", Map.of("f:labels", Map.of())));
        assertThat(taken)
                .as("a subresource's entry is not taken over")
                .contains(entry("kubectl", "Update", "status", fields("f:status", "f:y")))
                .hasSize(2);
    }

    @Test
    void otherManagersAndOperationsAreLeftAlone() {
        assertThat(
                        cleanup.takeOver(
                                List.of(
                                        entry("sluice", "Apply", "", fields("f:data", "f:a")),
                                        entry(
                                                "before-first-apply",
                                                "Apply",
                                                "",
                                                fields("f:data", "f:b")),
                                        entry(
                                                "my-operator",
                                                "Update",
                                                "",
                                                fields("f:data", "f:c"))),
                                true))
                .isNull();
    }

    @Test
    void kubectlsLastAppliedAnnotationAndFluxV1MarksAreRemoved() {
        Map<String, Object> metadata =
                Map.of(
                        "annotations",
                        Map.of(
                                "kubectl.kubernetes.io/last-applied-configuration", "{}",
                                "keep", "me"),
                        "labels",
                        Map.of("fluxcd.io/sync-gc-mark", "x"));

        assertThat(cleanup.patch(metadata, false))
                .containsExactly(
                        Map.of(
                                "op",
                                "remove",
                                "path",
                                "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"),
                        Map.of("op", "remove", "path", "/metadata/labels/fluxcd.io~1sync-gc-mark"));
    }

    @Test
    void helmControllersEntriesAreTakenOverOnlyOnAHelmReleasesObjects() {
        // helm-controller writes a HelmRelease's own finalizer under its name: a HelmRelease
        // applied
        // from Git must keep it
        List<Map<String, Object>> entries =
                List.of(
                        entry("sluice", "Apply", "", fields("f:spec", "f:chart")),
                        entry(
                                "helm-controller",
                                "Update",
                                "",
                                fields("f:metadata", "f:finalizers")));

        assertThat(cleanup.takeOver(entries, false)).isNull();
        assertThat(cleanup.takeOver(entries, true)).hasSize(1);
    }

    @Test
    void aMemberMeetingItsOwnChildrenKeepsItselfAsStructuredMergeDiffDoes() {
        // {f:x:{}} ∪ {f:x:{f:y:{}}} = {f:x:{.:{}, f:y:{}}}, checked against
        // sigs.k8s.io/structured-merge-diff
        assertThat(
                        MetadataCleanup.union(
                                Map.of("f:x", Map.of()), Map.of("f:x", Map.of("f:y", Map.of()))))
                .isEqualTo(Map.of("f:x", Map.of(".", Map.of(), "f:y", Map.of())));
        assertThat(
                        MetadataCleanup.union(
                                Map.of("f:x", Map.of("f:y", Map.of())),
                                Map.of("f:x", Map.of("f:z", Map.of()))))
                .isEqualTo(Map.of("f:x", Map.of("f:y", Map.of(), "f:z", Map.of())));
        assertThat(MetadataCleanup.union(Map.of("f:x", Map.of()), Map.of("f:x", Map.of())))
                .isEqualTo(Map.of("f:x", Map.of()));
    }

    private static Map<String, Object> entry(
            String manager, String operation, String subresource, Map<String, Object> fields) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("manager", manager);
        entry.put("operation", operation);
        entry.put("apiVersion", "v1");
        entry.put("fieldsType", "FieldsV1");
        entry.put("fieldsV1", fields);
        if (!subresource.isEmpty()) {
            entry.put("subresource", subresource);
        }
        return entry;
    }

    private static Map<String, Object> fields(String parent, String child) {
        return Map.of(parent, Map.of(child, Map.of()));
    }
}
