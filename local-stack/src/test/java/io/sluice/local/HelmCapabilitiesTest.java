package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Charts render as helm-controller installs them: {@code .Capabilities} from the live cluster (the
 * API versions Helm's own discovery finds), {@code lookup} answered by the cluster as the release's
 * service account, and {@code .Release.IsUpgrade} once the release is installed. Each test has its
 * own namespace and release.
 */
@ExtendWith(LocalStackExtension.class)
class HelmCapabilitiesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CHART =
            Map.of(
                    "Chart.yaml", "apiVersion: v2\nname: report\nversion: 1.0.0\n",
                    "values.yaml", "round: 1\n",
                    "templates/report.yaml",
                            """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: {{ .Release.Name }}-report
                    data:
                      apiVersions: {{ .Capabilities.APIVersions | toJson | quote }}
                      kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
                      isUpgrade: {{ .Release.IsUpgrade | quote }}
                      lookedUp: {{ dig "data" "color" "nothing" (lookup "v1" "ConfigMap" .Release.Namespace "existing") | quote }}
                      round: {{ .Values.round | quote }}
                    """);

    private static KubernetesClient client;
    private static LocalStack stack;
    private static String gitUrl;
    private static Path chartDir;

    @BeforeAll
    static void chartInGit() throws Exception {
        stack = LocalStackExtension.stack();
        client = stack.client();
        gitUrl = stack.git().create("capability-charts");
        chartDir = Files.createTempDirectory("report-chart");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("capability-charts"), gitUrl)) {
            for (var file : CHART.entrySet()) {
                repo.write("charts/report/" + file.getKey(), file.getValue());
                Files.createDirectories(chartDir.resolve(file.getKey()).getParent());
                Files.writeString(chartDir.resolve(file.getKey()), file.getValue());
            }
            repo.commitAndPush("a chart that reports what Helm saw");
        }
    }

    @Test
    void theApiVersionsAreThoseHelmsOwnDiscoveryFindsAndLookupReadsTheCluster() throws Exception {
        String ns = "caps-discovery";
        release(ns, null, 1);
        Map<String, String> report = awaitReport(ns, "1");

        // The oracle: the same chart through the helm CLI, once with the cluster (--validate:
        // Helm's own discovery),
        // once without (helm template's built-in defaults, which it adds to any --api-versions it
        // is given).
        Set<String> discovered = apiVersions(helm("--validate"));
        Set<String> defaults = apiVersions(helm());
        Set<String> expected = new TreeSet<>(discovered);
        expected.addAll(defaults);
        assertThat(discovered)
                .contains("policy/v1/PodDisruptionBudget", "helm.toolkit.fluxcd.io/v2/HelmRelease");
        assertThat(new TreeSet<>(parse(report.get("apiVersions")))).isEqualTo(expected);
        assertThat(report.get("kubeVersion"))
                .isEqualTo(client.getKubernetesVersion().getGitVersion());
        assertThat(report).containsEntry("lookedUp", "blue").containsEntry("isUpgrade", "false");
    }

    @Test
    void aCrdThatAppearsIsInTheNextRenderWhichIsAnUpgrade() {
        String ns = "caps-new-crd";
        release(ns, null, 1);
        assertThat(parse(awaitReport(ns, "1").get("apiVersions")))
                .doesNotContain("caps.sluice.test/v1/Gadget");
        // the install is done (its revision deployed in Helm's storage): the next render is an
        // upgrade
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                client.secrets()
                                                .inNamespace(ns)
                                                .withLabels(
                                                        Map.of(
                                                                "owner", "helm",
                                                                "name", "report",
                                                                "status", "deployed"))
                                                .list()
                                                .getItems()
                                                .size()
                                        == 1);

        Manifests.apply(
                client,
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.caps.sluice.test}
                spec:
                  group: caps.sluice.test
                  scope: Namespaced
                  names: {kind: Gadget, plural: gadgets, singular: gadget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """);
        release(ns, null, 2);
        Map<String, String> report = awaitReport(ns, "2");
        assertThat(parse(report.get("apiVersions")))
                .contains("caps.sluice.test/v1", "caps.sluice.test/v1/Gadget");
        assertThat(report).containsEntry("isUpgrade", "true");
    }

    @Test
    void lookupReadsAsTheReleasesServiceAccountWhichMayNotReadConfigMaps() {
        String ns = "caps-identity";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: nobody, namespace: "
                        + ns
                        + "}\n");
        release(ns, "nobody", 1);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmRelease release =
                                    client.resources(HelmRelease.class)
                                            .inNamespace(ns)
                                            .withName("report")
                                            .get();
                            assertThat(
                                            Conditions.find(
                                                    release.getStatus() == null
                                                            ? null
                                                            : release.getStatus().conditions,
                                                    Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getMessage())
                                                        .contains(
                                                                "system:serviceaccount:"
                                                                        + ns
                                                                        + ":nobody")
                                                        .contains("forbidden")
                                                        .contains("configmaps");
                                            });
                        });
        assertThat(client.configMaps().inNamespace(ns).withName("report-report").get()).isNull();
    }

    @Test
    void traefiksPodDisruptionBudgetIsRenderedForPolicyV1AsTheClusterServesIt() {
        String ns = "caps-traefik";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: fixtures, namespace: %s}
                spec: {interval: 10m, url: "%s"}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: traefik, namespace: %s}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: traefik
                      version: "33.2.1"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                  values:
                    podDisruptionBudget: {enabled: true, minAvailable: 1}
                """
                        .formatted(ns, stack.charts().orElseThrow().url(), ns));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GenericKubernetesResource pdb =
                                    client.genericKubernetesResources(
                                                    "policy/v1", "PodDisruptionBudget")
                                            .inNamespace(ns)
                                            .withName("traefik")
                                            .get();
                            assertThat(pdb).isNotNull();
                            assertThat(pdb.getApiVersion()).isEqualTo("policy/v1");
                        });
    }

    /**
     * The report release from Git in {@code ns} (created with its "existing" ConfigMap), at values
     * round {@code round}.
     */
    private static void release(String ns, String serviceAccount, int round) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: existing, namespace: "
                        + ns
                        + "}\ndata: {color: blue}\n");
        Manifests.apply(client, Manifests.gitRepository(ns, "capability-charts", gitUrl, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: report, namespace: %s}
                spec:
                  interval: 10m
                  %s
                  chart:
                    spec:
                      chart: ./charts/report
                      sourceRef: {kind: GitRepository, name: capability-charts}
                  values:
                    round: %d
                """
                        .formatted(
                                ns,
                                serviceAccount == null
                                        ? ""
                                        : "serviceAccountName: " + serviceAccount,
                                round));
    }

    private static Map<String, String> awaitReport(String ns, String round) {
        Map<String, String> report = new HashMap<>();
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            ConfigMap map =
                                    client.configMaps()
                                            .inNamespace(ns)
                                            .withName("report-report")
                                            .get();
                            assertThat(map).isNotNull();
                            assertThat(map.getData()).containsEntry("round", round);
                            report.putAll(map.getData());
                        });
        return report;
    }

    private static String helm(String... extra) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Launcher.output(
                                        Path.of("../deploy/local/helm/build").toAbsolutePath()),
                                "template",
                                "report",
                                chartDir.toString(),
                                "--namespace",
                                "caps-oracle",
                                "--kubeconfig",
                                stack.kubeconfig().toString()));
        command.addAll(List.of(extra));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out =
                new String(
                        process.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        return out;
    }

    /** The apiVersions list out of a {@code helm template} of the report chart. */
    private static Set<String> apiVersions(String rendered) throws Exception {
        Map<String, Object> configMap =
                new org.snakeyaml.engine.v2.api.Load(
                                                org.snakeyaml.engine.v2.api.LoadSettings.builder()
                                                        .build())
                                        .loadAllFromString(rendered)
                                        .iterator()
                                        .next()
                                instanceof Map<?, ?> m
                        ? castMap(m)
                        : Map.of();
        @SuppressWarnings("unchecked")
        Map<String, String> data = (Map<String, String>) configMap.get("data");
        return new TreeSet<>(parse(data.get("apiVersions")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static List<String> parse(String json) throws RuntimeException {
        try {
            return JSON.readValue(json, new TypeReference<>() {});
        } catch (Exception e) {
            throw new IllegalStateException("not a JSON list: " + json, e);
        }
    }
}
