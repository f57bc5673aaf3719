package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.render.build.PinnedKustomize;
import io.sluice.render.build.PinnedTool;
import io.sluice.render.build.YamlDocuments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture chart (the charts users run: podinfo, traefik with its CRDs, metrics-server,
 * ingress-nginx) rendered by Sluice (the chart's crds/ read and marked by Sluice, the rest by
 * {@code helm template}) and by the helm CLI alone, with the same API versions, must give the same
 * objects, with default values and with an override, with and without CRDs, hooks included (test
 * hooks are not run by Flux, so both sides skip them).
 */
class ChartRendererConformanceTest {
    private static final Path CHARTS =
            Path.of("../../shared/fixtures/charts").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KUBE_VERSION = "v1.37.2";

    /**
     * What discovery gives for the API groups these charts ask about (traefik's PDB,
     * ingress-nginx's HPA).
     */
    private static final List<String> API_VERSIONS =
            List.of(
                    "policy/v1",
                    "policy/v1/PodDisruptionBudget",
                    "autoscaling/v2",
                    "autoscaling/v2/HorizontalPodAutoscaler");

    private static String helm;

    @BeforeAll
    static void buildOracle() throws Exception {
        assertThat(CHARTS)
                .as("the fixture charts, in shared/ beside the repository")
                .isDirectoryContaining("glob:**.tgz");
        Process build =
                new ProcessBuilder(
                                Path.of("../deploy/local/helm/build").toAbsolutePath().toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        helm = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(build.waitFor()).as("deploy/local/helm/build").isZero();
    }

    static Stream<Arguments> cases() {
        Map<String, Map<String, Object>> overrides =
                Map.of(
                        "podinfo-6.9.4.tgz",
                                Map.of("replicaCount", 3, "ui", Map.of("message", "from Sluice")),
                        "traefik-33.2.1.tgz",
                                Map.of(
                                        "deployment",
                                        Map.of("replicas", 2),
                                        "service",
                                        Map.of("type", "ClusterIP")),
                        "metrics-server-3.13.0.tgz",
                                Map.of("replicas", 2, "args", List.of("--kubelet-insecure-tls")),
                        "ingress-nginx-4.15.1.tgz",
                                Map.of(
                                        "controller",
                                        Map.of("replicaCount", 2, "kind", "DaemonSet")));
        List<Arguments> cases = new ArrayList<>();
        overrides.forEach(
                (chart, override) -> {
                    cases.add(Arguments.of(chart, Map.of(), true));
                    cases.add(Arguments.of(chart, override, true));
                    cases.add(Arguments.of(chart, override, false));
                });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} values={1} crds={2}")
    @MethodSource("cases")
    void rendersAsHelmTemplateDoes(String chart, Map<String, Object> values, boolean includeCrds)
            throws Exception {
        Path archive = CHARTS.resolve(chart);
        CrdPolicy policy = includeCrds ? CrdPolicy.CREATE_REPLACE : CrdPolicy.SKIP;
        List<Map<String, Object>> ours =
                new ChartRenderer(new PinnedTool(List.of(helm)), PinnedKustomize.runner())
                        .render(
                                archive,
                                "my-release",
                                "apps",
                                values,
                                new ChartRenderer.Target(
                                        new HelmCapabilities(KUBE_VERSION, API_VERSIONS),
                                        false,
                                        1,
                                        false,
                                        null,
                                        false),
                                policy,
                                null,
                                null);
        List<Map<String, Object>> expected = helmTemplate(archive, values, includeCrds);
        // the one intended difference: crds/ CRDs carry Sluice's never-prune mark, as Helm never
        // deletes them
        policy.mark(
                expected.stream()
                        .filter(o -> "CustomResourceDefinition".equals(o.get("kind")))
                        .toList());
        assertThat(ours.stream().map(ChartRendererConformanceTest::id).toList())
                .isNotEmpty()
                .containsExactlyElementsOf(
                        expected.stream().map(ChartRendererConformanceTest::id).toList());
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as(id(ours.get(i))).isEqualTo(expected.get(i));
        }
        if (chart.startsWith("ingress-nginx")) {
            assertThat(ours)
                    .as("ingress-nginx's admission webhook hooks")
                    .anySatisfy(o -> assertThat(o.get("kind")).isEqualTo("Job"))
                    .filteredOn(o -> o.get("metadata").toString().contains("helm.sh/hook="))
                    .hasSizeGreaterThan(3);
        }
        if (chart.startsWith("traefik")) {
            assertThat(
                            ours.stream()
                                    .anyMatch(
                                            o -> "CustomResourceDefinition".equals(o.get("kind"))))
                    .isEqualTo(includeCrds);
        }
    }

    /**
     * {@code helm template} always renders revision 1; Helm's upgrade action renders the revision
     * it stores (the pinned build's patch).
     */
    @Test
    void rendersTheReleaseRevisionAndActionItIsGiven(@TempDir Path chart) throws Exception {
        Files.writeString(
                chart.resolve("Chart.yaml"), "apiVersion: v2\nname: revision\nversion: 1.0.0\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(
                chart.resolve("templates/release.yaml"),
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: release
                data:
                  revision: "{{ .Release.Revision }}"
                  install: "{{ .Release.IsInstall }}"
                  upgrade: "{{ .Release.IsUpgrade }}"
                """);
        assertThat(releaseData(chart, false, 1))
                .isEqualTo(Map.of("revision", "1", "install", "true", "upgrade", "false"));
        assertThat(releaseData(chart, true, 4))
                .isEqualTo(Map.of("revision", "4", "install", "false", "upgrade", "true"));
    }

    private static Object releaseData(Path chart, boolean upgrade, int revision) throws Exception {
        return new ChartRenderer(new PinnedTool(List.of(helm)), PinnedKustomize.runner())
                .render(
                        chart,
                        "my-release",
                        "apps",
                        Map.of(),
                        new ChartRenderer.Target(
                                new HelmCapabilities(KUBE_VERSION, API_VERSIONS),
                                upgrade,
                                revision,
                                false,
                                null,
                                false),
                        CrdPolicy.SKIP,
                        null,
                        null)
                .get(0)
                .get("data");
    }

    @SuppressWarnings("unchecked")
    private static String id(Map<String, Object> object) {
        Object metadata = object.get("metadata");
        return object.get("kind")
                + "/"
                + (metadata instanceof Map<?, ?> m ? m.get("name") : "(no metadata)");
    }

    private static List<Map<String, Object>> helmTemplate(
            Path chart, Map<String, Object> values, boolean includeCrds) throws Exception {
        Path valuesFile = Files.createTempFile("values-", ".json");
        try {
            JSON.writeValue(valuesFile.toFile(), values);
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    helm,
                                    "template",
                                    "my-release",
                                    chart.toString(),
                                    "--namespace",
                                    "apps",
                                    "--kube-version",
                                    KUBE_VERSION,
                                    "--skip-tests",
                                    "-f",
                                    valuesFile.toString(),
                                    "--api-versions",
                                    String.join(",", API_VERSIONS)));
            if (includeCrds) {
                command.add("--include-crds");
            }
            Process process =
                    new ProcessBuilder(command)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("helm template").isZero();
            // crds/ may hold files that are not CRDs (traefik's kustomization.yaml): Sluice applies
            // only the CRDs
            return YamlDocuments.objectsAsKubernetesReadsThem(out, "helm template").stream()
                    .filter(o -> !"kustomize.config.k8s.io/v1beta1".equals(o.get("apiVersion")))
                    .toList();
        } finally {
            Files.deleteIfExists(valuesFile);
        }
    }
}
