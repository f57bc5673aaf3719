package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.HelmChart;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HelmChart objects a user writes, reconciled as source-controller reconciles them (the chart
 * pulled from their HelmRepository, stored as their artifact), and a HelmRelease whose {@code
 * chartRef} names one.
 */
@ExtendWith(LocalStackExtension.class)
class HelmChartRefTest {
    private static final String NS = "helm-chartref";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static KubernetesClient client;

    @BeforeAll
    static void repository() {
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
                metadata: {name: fixtures, namespace: %s}
                spec: {interval: 10m, url: "%s"}
                """
                        .formatted(NS, charts));
    }

    @Test
    void aReleaseInstallsTheChartOfTheHelmChartItsChartRefNames() {
        Manifests.apply(client, helmChart("podinfo", "6.x") + release("podinfo", "podinfo"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmChart chart = chart("podinfo");
                            assertThat(ready(chart))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getReason())
                                                        .isEqualTo("ChartPullSucceeded");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "pulled 'podinfo' chart with"
                                                                        + " version '6.9.4'");
                                            });
                            assertThat(chart.getStatus().artifact.revision).isEqualTo("6.9.4");
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmRelease release = release("podinfo");
                            assertThat(ready(release))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getStatus()).isEqualTo("True"));
                            assertThat(release.getStatus().history.get(0).chartVersion)
                                    .isEqualTo("6.9.4");
                            Deployment podinfo =
                                    client.apps()
                                            .deployments()
                                            .inNamespace(NS)
                                            .withName("podinfo")
                                            .get();
                            assertThat(podinfo).isNotNull();
                        });
    }

    @Test
    void aHelmChartOfAVersionTheRepositoryLacksFailsAndSoDoesTheReleaseNamingIt() {
        Manifests.apply(client, helmChart("missing", "99.x") + release("waiting", "missing"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            HelmChart chart = chart("missing");
                            assertThat(ready(chart))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason())
                                                        .isEqualTo("InvalidChartReference");
                                                assertThat(c.getMessage())
                                                        .contains("99.x")
                                                        .contains(
                                                                "HelmRepository "
                                                                        + NS
                                                                        + "/fixtures");
                                            });
                            assertThat(chart.getStatus().artifact).isNull();
                            assertThat(ready(release("waiting")))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getMessage())
                                                        .contains(
                                                                "HelmChart '"
                                                                        + NS
                                                                        + "/missing' is not ready:"
                                                                        + " does not have an"
                                                                        + " artifact");
                                            });
                        });
        assertThat(client.apps().deployments().inNamespace(NS).withName("waiting").get()).isNull();
    }

    private static String helmChart(String name, String version) {
        return """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmChart
        metadata: {name: %s, namespace: %s}
        spec:
          interval: 10m
          chart: podinfo
          version: "%s"
          sourceRef: {kind: HelmRepository, name: fixtures}
        ---
        """
                .formatted(name, NS, version);
    }

    private static String release(String name, String chart) {
        return """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata: {name: %s, namespace: %s}
        spec:
          interval: 10m
          chartRef: {kind: HelmChart, name: %s}
        """
                .formatted(name, NS, chart);
    }

    private static HelmChart chart(String name) {
        return client.resources(HelmChart.class).inNamespace(NS).withName(name).get();
    }

    private static HelmRelease release(String name) {
        return client.resources(HelmRelease.class).inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> ready(HelmChart chart) {
        return chart == null || chart.getStatus() == null
                ? Optional.empty()
                : Conditions.find(chart.getStatus().conditions, Conditions.READY);
    }

    private static Optional<Condition> ready(HelmRelease release) {
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, Conditions.READY);
    }
}
