package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.Snapshot;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A HelmRelease of a fixture chart from the local HTTP chart repository, through all four services,
 * on the real stack.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmReleaseTest {
    private static final String NS = "helm-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Path FIXTURES =
            Path.of("../../shared/fixtures/charts").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KubernetesClient client;

    @BeforeAll
    static void release() {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        String charts =
                stack.charts()
                        .orElseThrow(
                                () -> new IllegalStateException("shared/fixtures/charts not found"))
                        .url();
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: fixtures, namespace: helm-test}
                spec: {interval: 10m, url: "%s"}
                """
                        .formatted(charts));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: helm-test}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.x"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                  values:
                    replicaCount: 2
                """);
    }

    @Test
    @Order(1)
    void theChartIsInstalledAndReady() {
        awaitReady("podinfo", "6.9.4");
        Deployment podinfo = client.apps().deployments().inNamespace(NS).withName("podinfo").get();
        assertThat(podinfo.getSpec().getReplicas()).isEqualTo(2);
        assertThat(podinfo.getStatus().getAvailableReplicas()).isEqualTo(2);
        assertThat(podinfo.getMetadata().getLabels())
                .containsEntry(Annotations.HELM_OWNER_NAME_LABEL, "podinfo")
                .containsEntry(Annotations.HELM_OWNER_NAMESPACE_LABEL, NS);
        assertThat(
                        client.resources(HelmRelease.class)
                                .inNamespace(NS)
                                .withName("podinfo")
                                .get()
                                .getStatus()
                                .inventory
                                .entries)
                .extracting(e -> e.id)
                .contains("helm-test_podinfo_apps_Deployment", "helm-test_podinfo__Service");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmRepository repository =
                                    client.resources(HelmRepository.class)
                                            .inNamespace(NS)
                                            .withName("fixtures")
                                            .get();
                            assertThat(repository.getStatus()).isNotNull();
                            assertThat(
                                            Conditions.find(
                                                    repository.getStatus().conditions,
                                                    Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getStatus()).isEqualTo("True"));
                        });
    }

    @Test
    @Order(2)
    void aValuesChangeIsRenderedAndApplied() {
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("podinfo")
                .edit(
                        r -> {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) r.getSpec().values)
                                    .put("replicaCount", 3);
                            return r;
                        });
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            Deployment podinfo =
                                    client.apps()
                                            .deployments()
                                            .inNamespace(NS)
                                            .withName("podinfo")
                                            .get();
                            return podinfo.getSpec().getReplicas() == 3;
                        });
        awaitReady("podinfo", "6.9.4");
    }

    @Test
    @Order(3)
    void aChartTheRepositoryLacksIsReportedAndNothingIsApplied() {
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: cert-manager, namespace: helm-test}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: cert-manager
                      version: "1.x"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("cert-manager"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("ArtifactFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "chart 'cert-manager' not found")
                                                            .contains(
                                                                    "HelmRepository helm-test/fixtures");
                                                }));
    }

    @Test
    @Order(4)
    void valuesFromConfigMapsAndSecretsAreMergedUnderTheInlineValues() {
        Manifests.apply(
                client,
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: podinfo-values, namespace: helm-test}
                data:
                  values.yaml: |
                    replicaCount: 4
                    ui: {message: from-configmap}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: podinfo-color, namespace: helm-test}
                stringData: {color: "#123456"}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo-values, namespace: helm-test}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.9.4"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                  valuesFrom:
                    - {kind: ConfigMap, name: podinfo-values}
                    - {kind: Secret, name: podinfo-color, valuesKey: color, targetPath: ui.color}
                    - {kind: ConfigMap, name: not-there, optional: true}
                  values:
                    replicaCount: 1
                """);
        awaitReady("podinfo-values", "6.9.4");
        Deployment deployment =
                client.apps().deployments().inNamespace(NS).withName("podinfo-values").get();
        assertThat(deployment.getSpec().getReplicas())
                .as("inline values win over valuesFrom")
                .isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(
                        e ->
                                assertThat(e.getName() + "=" + e.getValue())
                                        .isEqualTo("PODINFO_UI_MESSAGE=from-configmap"))
                .anySatisfy(
                        e ->
                                assertThat(e.getName() + "=" + e.getValue())
                                        .isEqualTo("PODINFO_UI_COLOR=#123456"));
    }

    @Test
    @Order(5)
    void aChartKeptInGitIsRenderedFromItsPathAndFollowsNewCommits() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        String url = stack.git().create("helm-charts");
        Path unpacked = Files.createTempDirectory("chart-source");
        Process tar =
                new ProcessBuilder(
                                "tar",
                                "-xzf",
                                FIXTURES.resolve("podinfo-6.9.4.tgz").toString(),
                                "-C",
                                Files.createDirectories(unpacked.resolve("charts")).toString())
                        .inheritIO()
                        .start();
        assertThat(tar.waitFor()).isZero();
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("helm-charts"), url)) {
            String first = repo.copyFrom(unpacked).commitAndPush("podinfo chart");
            Manifests.apply(client, Manifests.gitRepository(NS, "helm-charts", url, "10m"));
            Manifests.apply(
                    client,
                    """
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata: {name: podinfo-git, namespace: helm-test}
                    spec:
                      interval: 10m
                      chart:
                        spec:
                          chart: ./charts/podinfo
                          sourceRef: {kind: GitRepository, name: helm-charts}
                    """);
            awaitReady("podinfo-git", "main@sha1:" + first);
            assertThat(
                            client.apps()
                                    .deployments()
                                    .inNamespace(NS)
                                    .withName("podinfo-git")
                                    .get()
                                    .getSpec()
                                    .getReplicas())
                    .isEqualTo(1);

            String values =
                    Files.readString(unpacked.resolve("charts/podinfo/values.yaml"))
                            .replace("replicaCount: 1", "replicaCount: 2");
            String second =
                    repo.write("charts/podinfo/values.yaml", values).commitAndPush("two replicas");
            client.resources(GitRepository.class)
                    .inNamespace(NS)
                    .withName("helm-charts")
                    .edit(
                            r -> {
                                r.getMetadata()
                                        .setAnnotations(
                                                java.util.Map.of(Annotations.REQUESTED_AT, second));
                                return r;
                            });
            awaitReady("podinfo-git", "main@sha1:" + second);
            assertThat(
                            client.apps()
                                    .deployments()
                                    .inNamespace(NS)
                                    .withName("podinfo-git")
                                    .get()
                                    .getSpec()
                                    .getReplicas())
                    .isEqualTo(2);
        }
    }

    @Test
    @Order(6)
    void aFailingUpgradeIsRetriedThenRolledBackToTheLastGoodRender() {
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("podinfo")
                .edit(
                        r -> {
                            r.getSpec().upgrade =
                                    JSON.createObjectNode()
                                            .set(
                                                    "remediation",
                                                    JSON.createObjectNode().put("retries", 1));
                            return r;
                        });
        awaitReady("podinfo", "6.9.4");
        // the Service takes the new annotation, then the API server refuses the Deployment's
        // negative replica count
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("podinfo")
                .edit(
                        r -> {
                            ((ObjectNode) r.getSpec().values)
                                    .put("replicaCount", -1)
                                    .set(
                                            "service",
                                            JSON.createObjectNode()
                                                    .set(
                                                            "annotations",
                                                            JSON.createObjectNode()
                                                                    .put("rollout", "bad")));
                            return r;
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("podinfo"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("RetriesExceeded");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "Helm upgrade failed for release helm-test/podinfo with chart podinfo@6.9.4: "
                                                                            + "Deployment/helm-test/podinfo apply failed")
                                                            .contains("spec.replicas")
                                                            .contains(
                                                                    "Helm rollback to previous release helm-test/podinfo.v")
                                                            .contains(
                                                                    "Failed to upgrade after 2 attempt(s)")
                                                            .doesNotContain("uninstall");
                                                }));
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            var annotations =
                                    client.services()
                                            .inNamespace(NS)
                                            .withName("podinfo")
                                            .get()
                                            .getMetadata()
                                            .getAnnotations();
                            return annotations == null || !annotations.containsKey("rollout");
                        });
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("podinfo")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(3);
    }

    @Test
    @Order(7)
    void anUpgradeThatNeverBecomesHealthyIsRolledBackToo() {
        // pods that can be scheduled nowhere: the apply succeeds, the health check times out, twice
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("podinfo")
                .edit(
                        r -> {
                            r.getSpec().timeout = "5s";
                            ((ObjectNode) r.getSpec().values)
                                    .put("replicaCount", 3)
                                    .remove("service");
                            ((ObjectNode) r.getSpec().values)
                                    .set(
                                            "nodeSelector",
                                            JSON.createObjectNode().put("nowhere", "true"));
                            return r;
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("podinfo"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "Deployment/helm-test/podinfo")
                                                            .contains(
                                                                    "Helm rollback to previous release helm-test/podinfo.v")
                                                            .contains(
                                                                    "Failed to upgrade after 2 attempt(s)");
                                                }));
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            var selector =
                                    client.apps()
                                            .deployments()
                                            .inNamespace(NS)
                                            .withName("podinfo")
                                            .get()
                                            .getSpec()
                                            .getTemplate()
                                            .getSpec()
                                            .getNodeSelector();
                            return selector == null || selector.isEmpty();
                        });
    }

    private static void awaitReady(String name, String revision) {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmRelease release =
                                    client.resources(HelmRelease.class)
                                            .inNamespace(NS)
                                            .withName(name)
                                            .get();
                            assertThat(release.getStatus()).isNotNull();
                            // the revision rendered (a chart version, or a Git revision for a chart
                            // kept in Git) is deployed
                            assertThat(release.getStatus().lastAttemptedRevision)
                                    .isEqualTo(revision);
                            assertThat(release.getStatus().history).isNotEmpty();
                            assertThat(release.getStatus().history.get(0).status)
                                    .isEqualTo("deployed");
                            if (!revision.contains("@")) {
                                assertThat(release.getStatus().history.get(0).chartVersion)
                                        .isEqualTo(revision);
                            }
                            // Ready says what helm-controller's says: the release last made
                            Snapshot latest = release.getStatus().history.get(0);
                            String action = latest.version == 1 ? "install" : "upgrade";
                            assertThat(ready(name))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "Helm "
                                                                        + action
                                                                        + " succeeded for release "
                                                                        + latest.namespace
                                                                        + "/"
                                                                        + latest.name
                                                                        + ".v"
                                                                        + latest.version
                                                                        + " with chart "
                                                                        + latest.chartName
                                                                        + "@"
                                                                        + latest.chartVersion);
                                            });
                            assertThat(release.getStatus().observedGeneration)
                                    .isEqualTo(release.getMetadata().getGeneration());
                        });
    }

    private static Optional<Condition> ready(String name) {
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(NS).withName(name).get();
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, Conditions.READY);
    }
}
