package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.Snapshot;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HelmRelease {@code test.enable}: the chart's test hooks run after the release is made, as
 * helm-controller runs Helm's test action, and the outcome is told as helm-controller tells it
 * ({@code TestSuccess}, Ready, {@code status.history[0].testHooks}, Helm's own record, which the
 * real {@code helm status} reads). The chart's {@code smoke} test is a Job, which the simulated
 * nodes complete; its {@code probe} test is a bare Pod, whose failure the test reports itself, as a
 * kubelet would (kwok runs no containers, so no real part can make a Pod fail).
 */
@ExtendWith(LocalStackExtension.class)
class HelmTestsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static KubernetesClient client;
    private static String url;

    @BeforeAll
    static void chartInGit() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        url = stack.git().create("tested-charts");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("tested-charts"), url)) {
            repo.write("charts/tested/Chart.yaml", "apiVersion: v2\nname: tested\nversion: 1.0.0\n")
                    .write("charts/tested/values.yaml", "probe: false\n")
                    .write(
                            "charts/tested/templates/settings.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: {{ .Release.Name }}-settings}
                            data: {a: b}
                            """)
                    .write(
                            "charts/tested/templates/tests/smoke.yaml",
                            """
                            apiVersion: batch/v1
                            kind: Job
                            metadata:
                              name: {{ .Release.Name }}-smoke
                              annotations:
                                helm.sh/hook: test
                            spec:
                              backoffLimit: 0
                              template:
                                spec:
                                  restartPolicy: Never
                                  containers:
                                  - {name: smoke, image: busybox, command: ["true"]}
                            """)
                    .write(
                            "charts/tested/templates/tests/probe.yaml",
                            """
                            {{- if .Values.probe }}
                            apiVersion: v1
                            kind: Pod
                            metadata:
                              name: {{ .Release.Name }}-probe
                              annotations:
                                helm.sh/hook: test-success
                                helm.sh/hook-weight: "1"
                            spec:
                              restartPolicy: Never
                              containers:
                              - {name: probe, image: busybox, command: ["false"]}
                            {{- end }}
                            """)
                    .commitAndPush("a chart with tests");
        }
    }

    @Test
    void aPassingTestMakesTheReleaseReadyInHelmControllersWordsAndHelmSeesIt() throws Exception {
        String ns = "helm-tests-pass";
        release(ns, "probe: false", "");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(condition(ns, Conditions.READY))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("True");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("TestSucceeded");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "Helm test succeeded for release helm-tests-pass/tested.v1 with chart tested@1.0.0: 1 test hook completed successfully");
                                                }));
        assertThat(condition(ns, Conditions.TEST_SUCCESS))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("TestSucceeded"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(latestSnapshot(ns).testHooks)
                                        .containsOnlyKeys("tested-smoke")
                                        .extractingByKey("tested-smoke")
                                        .extracting(h -> h.phase)
                                        .isEqualTo("Succeeded"));
        assertThat(latestSnapshot(ns).status).isEqualTo("deployed");
        String status = HelmHooksTest.helm("status", "tested", "--namespace", ns);
        assertThat(status)
                .contains("STATUS: deployed")
                .containsPattern("TEST SUITE:\\s+tested-smoke")
                .containsPattern("Phase:\\s+Succeeded");
    }

    @Test
    void aFailedTestFailsTheReleaseAndWithoutRetriesStallsItLeavingItDeployed() throws Exception {
        String ns = "helm-tests-fail";
        release(ns, "probe: true", "");
        // while the probe runs: released, tests awaited, as helm-controller marks it
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(condition(ns, Conditions.TEST_SUCCESS))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("Unknown");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("AwaitingTests");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "Helm release helm-tests-fail/tested.v1 with chart tested@1.0.0 is awaiting tests");
                                                }));
        failWhenRunning(ns, "tested-probe");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(condition(ns, Conditions.TEST_SUCCESS))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason()).isEqualTo("TestFailed");
                                                assertThat(c.getMessage())
                                                        .startsWith(
                                                                "Helm test failed for release helm-tests-fail/tested.v1 with chart tested@1.0.0: ")
                                                        .contains("tested-probe");
                                            });
                            assertThat(condition(ns, Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getStatus()).isEqualTo("False"));
                            assertThat(condition(ns, Conditions.STALLED))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getReason())
                                                            .isEqualTo("RetriesExceeded"));
                        });
        HelmRelease release = get(ns);
        assertThat(release.getStatus().installFailures).isEqualTo(1L);
        Snapshot latest = latestSnapshot(ns);
        assertThat(latest.status)
                .as("a failed test leaves the revision deployed")
                .isEqualTo("deployed");
        assertThat(latest.testHooks)
                .extractingByKeys("tested-smoke", "tested-probe")
                .extracting(h -> h.phase)
                .containsExactly("Succeeded", "Failed");
        assertThat(client.configMaps().inNamespace(ns).withName("tested-settings").get())
                .as("nothing uninstalled: remediating the last failure is off for installs")
                .isNotNull();
    }

    @Test
    void theHistoryListsTheTestHooksTheFiltersSelect() throws Exception {
        String ns = "helm-tests-filtered";
        release(ns, "probe: true", "    filters: [{name: tested-probe, exclude: true}]\n");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(latestSnapshot(ns).testHooks)
                                        .as("the excluded probe neither run nor listed")
                                        .containsOnlyKeys("tested-smoke")
                                        .extractingByKey("tested-smoke")
                                        .extracting(h -> h.phase)
                                        .isEqualTo("Succeeded"));
        assertThat(client.pods().inNamespace(ns).withName("tested-probe").get()).isNull();
    }

    @Test
    void ignoredTestFailuresLeaveTheReleaseReadyAndCountOnlyAsFailures() throws Exception {
        String ns = "helm-tests-ignored";
        release(ns, "probe: true", "    ignoreFailures: true\n");
        failWhenRunning(ns, "tested-probe");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(condition(ns, Conditions.TEST_SUCCESS))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getReason()).isEqualTo("TestFailed"));
                            assertThat(condition(ns, Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getReason())
                                                        .isEqualTo("InstallSucceeded");
                                            });
                        });
        HelmRelease release = get(ns);
        assertThat(release.getStatus().failures).isEqualTo(1L);
        assertThat(release.getStatus().installFailures).isZero();
        assertThat(condition(ns, Conditions.STALLED)).isEmpty();
    }

    private static void release(String ns, String values, String testFields) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, "charts", url, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: tested, namespace: %s}
                spec:
                  interval: 10m
                  timeout: 2m
                  chart:
                    spec:
                      chart: ./charts/tested
                      sourceRef: {kind: GitRepository, name: charts}
                  values:
                    %s
                  test:
                    enable: true
                %s"""
                        .formatted(ns, values, testFields));
    }

    /**
     * Reports the Pod failed once the simulated node runs it, as a kubelet reports a container that
     * exited non-zero.
     */
    private static void failWhenRunning(String ns, String pod) {
        await().atMost(DEADLINE)
                .until(
                        () ->
                                Optional.ofNullable(
                                                client.pods().inNamespace(ns).withName(pod).get())
                                        .map(p -> "Running".equals(p.getStatus().getPhase()))
                                        .orElse(false));
        client.pods()
                .inNamespace(ns)
                .withName(pod)
                .editStatus(
                        (Pod p) -> {
                            p.getStatus().setPhase("Failed");
                            return p;
                        });
    }

    private static HelmRelease get(String ns) {
        return client.resources(HelmRelease.class).inNamespace(ns).withName("tested").get();
    }

    private static Snapshot latestSnapshot(String ns) {
        HelmRelease release = get(ns);
        assertThat(release.getStatus().history).isNotEmpty();
        return release.getStatus().history.get(0);
    }

    private static Optional<Condition> condition(String ns, String type) {
        HelmRelease release = get(ns);
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, type);
    }
}
