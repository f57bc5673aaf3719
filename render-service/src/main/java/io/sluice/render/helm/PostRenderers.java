package io.sluice.render.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.render.artifact.WorkDirs;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.KustomizeRunner;
import io.sluice.render.build.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A HelmRelease's {@code spec.postRenderers}, as helm-controller runs them: each {@code kustomize}
 * entry builds the release's rendered objects (Helm hands post-renderers neither hooks nor {@code
 * crds/}) with its {@code patches} and {@code images}, with the real kustomize, in the order given.
 */
final class PostRenderers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KustomizeRunner kustomize;

    PostRenderers(KustomizeRunner kustomize) {
        this.kustomize = kustomize;
    }

    List<Map<String, Object>> apply(List<Map<String, Object>> objects, JsonNode postRenderers)
            throws BuildException {
        List<Map<String, Object>> result = objects;
        if (postRenderers == null) {
            return result;
        }
        for (JsonNode renderer : postRenderers) {
            JsonNode spec = renderer.path("kustomize");
            if (spec.isObject() && !result.isEmpty()) {
                result = kustomize(result, spec);
            }
        }
        return result;
    }

    private List<Map<String, Object>> kustomize(List<Map<String, Object>> objects, JsonNode spec)
            throws BuildException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("post-render-");
            StringBuilder input = new StringBuilder();
            for (Map<String, Object> object : objects) {
                input.append("---\n").append(JSON.writeValueAsString(object)).append('\n');
            }
            Files.writeString(dir.resolve("helm-output.yaml"), input);
            ObjectNode kustomization =
                    JSON.createObjectNode()
                            .put("apiVersion", "kustomize.config.k8s.io/v1beta1")
                            .put("kind", "Kustomization");
            kustomization.putArray("resources").add("helm-output.yaml");
            if (spec.path("patches").isArray()) {
                kustomization.set("patches", spec.get("patches"));
            }
            if (spec.path("images").isArray()) {
                kustomization.set("images", spec.get("images"));
            }
            Files.writeString(
                    dir.resolve("kustomization.yaml"), JSON.writeValueAsString(kustomization));
            return YamlDocuments.objects(kustomize.build(dir), "post-renderer kustomize");
        } catch (IOException e) {
            throw new BuildException("post-renderer: " + e.getMessage(), e);
        } finally {
            WorkDirs.delete(dir);
        }
    }
}
