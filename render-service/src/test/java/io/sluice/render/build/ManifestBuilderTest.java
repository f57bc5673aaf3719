package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds real directory trees; kustomization directories go through the real kustomize found on the
 * PATH.
 */
class ManifestBuilderTest {
    @TempDir Path root;
    private final ManifestBuilder builder = new ManifestBuilder(PinnedKustomize.runner());

    @Test
    void aPlainDirectoryBecomesAllItsKubernetesYamlRecursively() throws Exception {
        write("apps/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n");
        write(
                "apps/web/cm.yml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");
        write("apps/values.yaml", "replicaCount: 2\n");
        write("apps/README.md", "not yaml: [");

        assertThat(names(builder.build(root, "./apps"))).containsExactly("apps", "a", "b");
    }

    @Test
    void anOctalModeIsReadAsKubernetesReadsItBecauseKustomizeWritesItOut() throws Exception {
        write(
                "apps/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: v\n"
                        + "    secret: {secretName: s, defaultMode: 0644}\n");
        Map<String, Object> pod = builder.build(root, "apps").get(0);
        assertThat(pod.toString()).contains("defaultMode=420");
    }

    @Test
    void substitutionMarkersPassThroughUntouched() throws Exception {
        write(
                "apps/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  url: ${APP_URL}\n");
        Map<String, Object> cm = builder.build(root, "apps").get(0);
        assertThat(cm.get("data")).isEqualTo(Map.of("url", "${APP_URL}"));
    }

    @Test
    void aDirectoryWithAKustomizationIsBuiltByKustomize() throws Exception {
        write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        write("base/kustomization.yaml", "resources:\n- cm.yaml\nnamePrefix: prod-\n");
        assertThat(names(builder.build(root, "base"))).containsExactly("prod-settings");
    }

    @Test
    void aNestedKustomizationCountsAsOneBase() throws Exception {
        write("apps/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n");
        write(
                "apps/overlay/cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        write("apps/overlay/kustomization.yaml", "resources:\n- cm.yaml\nnameSuffix: -v2\n");
        assertThat(names(builder.build(root, "apps"))).containsExactly("apps", "settings-v2");
    }

    @Test
    void brokenYamlNamesTheFileAndLine() throws Exception {
        write("apps/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        write(
                "apps/broken.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .isInstanceOf(BuildException.class)
                .hasMessageStartingWith("apps/broken.yaml: line ");
    }

    @Test
    void aPathOutsideTheArtifactOrMissingIsRefused() throws Exception {
        write("apps/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        assertThatThrownBy(() -> builder.build(root, "../../etc"))
                .hasMessageContaining("outside the artifact root");
        assertThatThrownBy(() -> builder.build(root, "./nope"))
                .hasMessageContaining("path './nope' not found");
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        assertThatThrownBy(() -> builder.build(root, "escape"))
                .hasMessageContaining("outside the artifact root");
    }

    @Test
    void aKustomizationThatReachesOutsideTheArtifactIsRefusedBeforeKustomizeRuns()
            throws Exception {
        write("apps/kustomization.yaml", "resources:\n- ../../outside\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .hasMessage(
                        "apps/kustomization.yaml: '../../outside' points outside the artifact root");
        write(
                "apps/kustomization.yaml",
                "resources:\n- https://github.com/org/repo//base?ref=v1\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .hasMessageContaining("remote reference");
        write(
                "apps/kustomization.yaml",
                "configMapGenerator:\n- name: x\n  files:\n  - key=/etc/passwd\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .hasMessageContaining("'/etc/passwd' points outside");
    }

    @Test
    void aBadKustomizationElsewhereInTheArtifactDoesNotStopThisBuildButOneItReachesDoes()
            throws Exception {
        write("other/kustomization.yaml", "resources:\n- ../../outside\n");
        write("apps/base/kustomization.yaml", "resources:\n- cm.yaml\n");
        write("apps/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        write("apps/kustomization.yaml", "resources:\n- base\n");
        assertThat(builder.build(root, "apps")).hasSize(1);
        write("apps/base/kustomization.yaml", "resources:\n- cm.yaml\n- ../../../outside.yaml\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .hasMessage(
                        "apps/base/kustomization.yaml: '../../../outside.yaml' points outside the artifact root");
    }

    @Test
    void aDuplicateResourceFailsTheBuild() throws Exception {
        write("apps/one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n");
        write("apps/two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n");
        assertThatThrownBy(() -> builder.build(root, "apps"))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("already registered id")
                .hasMessageContaining("same");
    }

    @Test
    void aPatchForAnObjectThatIsNotThereFailsTheBuild() throws Exception {
        write("apps/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        FluxOverlay overlay =
                new FluxOverlay(
                        null,
                        null,
                        null,
                        List.of(
                                Map.of(
                                        "patch",
                                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata: {a: b}\n")),
                        null,
                        null);
        assertThatThrownBy(() -> builder.build(root, "apps", overlay))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("no matches for Id ConfigMap.v1.[noGrp]/other");
    }

    @Test
    void aKustomizeErrorIsReported() throws Exception {
        write("base/kustomization.yaml", "resources:\n- missing.yaml\n");
        assertThatThrownBy(() -> builder.build(root, "base"))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("kustomize build failed")
                .hasMessageContaining("missing.yaml");
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(List<Map<String, Object>> objects) {
        return objects.stream()
                .map(o -> (String) ((Map<String, Object>) o.get("metadata")).get("name"))
                .toList();
    }
}
