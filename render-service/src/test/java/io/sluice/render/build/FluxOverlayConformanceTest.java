package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kustomization's own fields must build exactly as a kustomization file holding the same fields
 * builds with the real kustomize (the oracle): each case builds a tree once through Sluice and
 * once, by hand, through kustomize.
 */
class FluxOverlayConformanceTest {
    @TempDir Path tmp;
    private final KustomizeRunner kustomize = PinnedKustomize.runner();
    private final ManifestBuilder builder = new ManifestBuilder(kustomize);

    private static final String DEPLOYMENT =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {tier: front}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: ghcr.io/stefanprodan/podinfo:6.9.3
            """;
    private static final String CONFIG =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  a: \"1\"\n";

    @Test
    void targetNamespaceOnAPlainDirectory() throws Exception {
        assertSameAsKustomize(
                plainTree(),
                new FluxOverlay("apps", null, null, null, null, null),
                "namespace: apps\n");
    }

    @Test
    void namePrefixAndSuffix() throws Exception {
        assertSameAsKustomize(
                plainTree(),
                new FluxOverlay(null, "prod-", "-v2", null, null, null),
                "namePrefix: prod-\nnameSuffix: -v2\n");
    }

    @Test
    void strategicMergePatchWithARegexNameTarget() throws Exception {
        Map<String, Object> patch =
                Map.of(
                        "patch",
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\nspec:\n  replicas: 3\n",
                        "target",
                        Map.of("kind", "Deployment", "name", "w.*"));
        assertSameAsKustomize(
                plainTree(),
                new FluxOverlay(null, null, null, List.of(patch), null, null),
                """
                patches:
                - patch: |
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: any
                    spec:
                      replicas: 3
                  target: {kind: Deployment, name: w.*}
                """);
    }

    @Test
    void json6902PatchWithALabelSelectorTarget() throws Exception {
        Map<String, Object> patch =
                Map.of(
                        "patch",
                        "- op: add\n  path: /metadata/annotations\n  value: {patched: \"yes\"}\n",
                        "target",
                        Map.of("labelSelector", "tier=front"));
        assertSameAsKustomize(
                plainTree(),
                new FluxOverlay(null, null, null, List.of(patch), null, null),
                """
                patches:
                - patch: |
                    - op: add
                      path: /metadata/annotations
                      value: {patched: "yes"}
                  target: {labelSelector: tier=front}
                """);
    }

    @Test
    void anImageReplacesTheOverlaysEntryOfTheSameName() throws Exception {
        Path tree = overlayTree("images:\n- name: ghcr.io/stefanprodan/podinfo\n  newTag: 6.0.0\n");
        Map<String, Object> image =
                Map.of("name", "ghcr.io/stefanprodan/podinfo", "newTag", "6.9.4");
        List<Map<String, Object>> built =
                builder.build(
                        tree,
                        "overlay",
                        new FluxOverlay(null, null, null, null, List.of(image), null));
        assertThat(built.toString())
                .contains("ghcr.io/stefanprodan/podinfo:6.9.4")
                .doesNotContain("6.0.0");
    }

    @Test
    void componentsAreAdded() throws Exception {
        Path tree = plainTree();
        write(
                tree.resolve("components/replicas/kustomization.yaml"),
                """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                - patch: |
                    - op: add
                      path: /spec/replicas
                      value: 5
                  target: {kind: Deployment}
                """);
        assertSameAsKustomize(
                tree,
                "app",
                new FluxOverlay(null, null, null, null, null, List.of("../components/replicas")),
                "components:\n- ../components/replicas\n");
    }

    @Test
    void anOverlayKeepsItsOwnFieldsAndGetsFluxsOnTop() throws Exception {
        Path tree = overlayTree("namePrefix: staging-\n");
        List<Map<String, Object>> built =
                builder.build(
                        tree, "overlay", new FluxOverlay("apps", null, null, null, null, null));
        assertThat(built)
                .allSatisfy(
                        o ->
                                assertThat(o.get("metadata").toString())
                                        .contains("namespace=apps")
                                        .contains("name=staging-"));
    }

    private Path plainTree() throws IOException {
        Path tree = Files.createTempDirectory(tmp, "tree");
        write(tree.resolve("app/deployment.yaml"), DEPLOYMENT);
        write(tree.resolve("app/config/settings.yaml"), CONFIG);
        write(tree.resolve("app/values.yaml"), "replicaCount: 2\n");
        return tree;
    }

    private Path overlayTree(String overlayFields) throws IOException {
        Path tree = plainTree();
        write(
                tree.resolve("app/kustomization.yaml"),
                "resources:\n- deployment.yaml\n- config/settings.yaml\n");
        write(tree.resolve("overlay/kustomization.yaml"), "resources:\n- ../app\n" + overlayFields);
        return tree;
    }

    private void assertSameAsKustomize(Path tree, FluxOverlay overlay, String equivalentFields)
            throws Exception {
        assertSameAsKustomize(tree, "app", overlay, equivalentFields);
    }

    /**
     * Builds with Sluice, then writes the equivalent kustomization file by hand into a fresh copy
     * for kustomize.
     */
    private void assertSameAsKustomize(
            Path tree, String path, FluxOverlay overlay, String equivalentFields) throws Exception {
        Path oracle = Files.createTempDirectory(tmp, "oracle");
        copy(tree, oracle);
        List<Map<String, Object>> ours = builder.build(tree, path, overlay);
        write(
                oracle.resolve(path).resolve("kustomization.yaml"),
                "resources:\n- deployment.yaml\n- config/settings.yaml\n" + equivalentFields);
        List<Object> expected =
                StreamSupport.stream(
                                new Load(LoadSettings.builder().build())
                                        .loadAllFromString(kustomize.build(oracle.resolve(path)))
                                        .spliterator(),
                                false)
                        .filter(d -> d != null)
                        .toList();
        assertThat(ours)
                .isNotEmpty()
                .containsExactlyElementsOf(
                        expected.stream().map(FluxOverlayConformanceTest::asMap).toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object document) {
        return (Map<String, Object>) document;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                write(to.resolve(from.relativize(p).toString()), Files.readString(p));
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
