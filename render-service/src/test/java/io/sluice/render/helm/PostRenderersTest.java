package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.render.build.PinnedKustomize;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * helm-controller's kustomize post-renderer, run by the pinned kustomize over a release's objects.
 */
class PostRenderersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void patchesAndImagesApplyToTheTargetedObjectsInOrder() throws Exception {
        List<Map<String, Object>> objects =
                List.of(
                        Map.of(
                                "apiVersion",
                                "apps/v1",
                                "kind",
                                "Deployment",
                                "metadata",
                                Map.of("name", "podinfo", "namespace", "apps"),
                                "spec",
                                Map.of(
                                        "template",
                                        Map.of(
                                                "spec",
                                                Map.of(
                                                        "containers",
                                                        List.of(
                                                                Map.of(
                                                                        "name",
                                                                        "podinfo",
                                                                        "image",
                                                                        "ghcr.io/stefanprodan/podinfo:6.9.4")))))),
                        Map.of(
                                "apiVersion",
                                "v1",
                                "kind",
                                "Service",
                                "metadata",
                                Map.of("name", "podinfo", "namespace", "apps")));
        var postRenderers =
                JSON.readTree(
                        """
                [{"kustomize": {
                   "patches": [{"target": {"kind": "Deployment"},
                                "patch": "- op: add\\n  path: /metadata/annotations\\n  value: {patched: \\"first\\"}\\n"}],
                   "images": [{"name": "ghcr.io/stefanprodan/podinfo", "newTag": "6.9.5"}]}},
                 {"kustomize": {
                   "patches": [{"target": {"kind": "Deployment", "name": "podinfo"},
                                "patch": "- op: replace\\n  path: /metadata/annotations/patched\\n  value: second\\n"}]}}]""");

        List<Map<String, Object>> result =
                new PostRenderers(PinnedKustomize.runner()).apply(objects, postRenderers);

        Map<String, Object> deployment =
                result.stream()
                        .filter(o -> "Deployment".equals(o.get("kind")))
                        .findFirst()
                        .orElseThrow();
        assertThat(JSON.valueToTree(deployment).at("/metadata/annotations/patched").asText())
                .isEqualTo("second");
        assertThat(
                        JSON.valueToTree(deployment)
                                .at("/spec/template/spec/containers/0/image")
                                .asText())
                .isEqualTo("ghcr.io/stefanprodan/podinfo:6.9.5");
        Map<String, Object> service =
                result.stream()
                        .filter(o -> "Service".equals(o.get("kind")))
                        .findFirst()
                        .orElseThrow();
        assertThat(service).isEqualTo(objects.get(1));
    }

    @Test
    void withoutPostRenderersTheObjectsAreUnchanged() throws Exception {
        List<Map<String, Object>> objects =
                List.of(
                        Map.of(
                                "apiVersion",
                                "v1",
                                "kind",
                                "ConfigMap",
                                "metadata",
                                Map.of("name", "c")));
        assertThat(new PostRenderers(PinnedKustomize.runner()).apply(objects, null))
                .isSameAs(objects);
    }
}
