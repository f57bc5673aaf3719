package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A HelmRelease's {@code spec.driftDetection}, as helm-controller reads it: disabled by default (a
 * changed object of the release is left as it is), {@code warn} reports without correcting, {@code
 * enabled} corrects all but the ignored paths. Each test has its own namespace and release of the
 * same chart.
 */
@ExtendWith(LocalStackExtension.class)
class HelmDriftDetectionTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /**
     * Drift is corrected within a second or so; a release left alone this long was not going to be
     * corrected.
     */
    private static final Duration LEFT_ALONE = Duration.ofSeconds(5);

    private static KubernetesClient client;
    private static TopicReader alerts;
    private static String gitUrl;

    @BeforeAll
    static void chartInGit() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        alerts = new TopicReader(stack.kafkaBootstrapServers(), Topics.ALERTS);
        gitUrl = stack.git().create("drift-charts");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("drift-charts"), gitUrl)) {
            repo.write(
                            "charts/settings/Chart.yaml",
                            "apiVersion: v2\nname: settings\nversion: 1.0.0\n")
                    .write(
                            "charts/settings/templates/settings.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: {{ .Release.Name }}
                            data:
                              color: blue
                              size: small
                            """)
                    .commitAndPush("a chart with one ConfigMap");
        }
    }

    @AfterAll
    static void close() {
        alerts.close();
    }

    @Test
    void withoutDriftDetectionAChangedObjectIsLeftAsFluxLeavesIt() {
        String ns = "drift-default";
        release(ns, "");
        change(ns, Map.of("color", "red"));
        await().during(LEFT_ALONE)
                .atMost(LEFT_ALONE.plusSeconds(5))
                .untilAsserted(
                        () -> assertThat(settings(ns).getData()).containsEntry("color", "red"));
        assertThat(alerts.poll())
                .noneMatch(
                        r ->
                                r.key().equals("HelmRelease/" + ns + "/settings")
                                        && r.value().contains("Drift"));
    }

    @Test
    void inWarnModeDriftIsReportedAndLeft() {
        String ns = "drift-warn";
        release(ns, "driftDetection: {mode: warn}");
        change(ns, Map.of("color", "red"));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                alerts.poll().stream()
                                        .anyMatch(
                                                r ->
                                                        alert(r, ns, "DriftDetected")
                                                                && r.value().contains("data.color")
                                                                && r.value()
                                                                        .contains(
                                                                                "left as it is")));
        assertThat(settings(ns).getData()).containsEntry("color", "red");
        assertThat(alerts.poll()).noneMatch(r -> alert(r, ns, "DriftCorrected"));
    }

    @Test
    void whenEnabledEverythingButTheIgnoredPathsIsCorrected() {
        String ns = "drift-ignore";
        release(
                ns,
                """
                driftDetection:
                    mode: enabled
                    ignore:
                    - paths: ["/data/color"]
                      target: {kind: ConfigMap}
                """);
        change(ns, Map.of("color", "red", "size", "huge"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> assertThat(settings(ns).getData()).containsEntry("size", "small"));
        assertThat(settings(ns).getData()).containsEntry("color", "red");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                alerts.poll().stream()
                                        .anyMatch(
                                                r ->
                                                        alert(r, ns, "DriftCorrected")
                                                                && r.value().contains("data.size")
                                                                && !r.value()
                                                                        .contains("data.color")));

        // a reconcile of the release in sync applies its deployed revision again, the ignored
        // field left as it was changed, as helm-controller's drift correction leaves it
        String requested = Instant.now().toString();
        client.resources(HelmRelease.class)
                .inNamespace(ns)
                .withName("settings")
                .edit(
                        r -> {
                            r.getMetadata()
                                    .setAnnotations(
                                            Map.of("reconcile.fluxcd.io/requestedAt", requested));
                            return r;
                        });
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            HelmRelease r = helmRelease(ns);
                            return r.getStatus() != null
                                    && requested.equals(r.getStatus().lastHandledReconcileAt);
                        });
        assertThat(settings(ns).getData()).containsEntry("color", "red");
    }

    private static void release(String ns, String driftDetection) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, "drift-charts", gitUrl, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: settings, namespace: %s}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: ./charts/settings
                      sourceRef: {kind: GitRepository, name: drift-charts}
                  %s
                """
                        .formatted(ns, driftDetection.strip().replace("\n", "\n  ")));
        // released and watched: a change made while the release is still being installed is the
        // next reconcile's to find, as in helm-controller, not a drift event
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            HelmRelease r = helmRelease(ns);
                            return r != null
                                    && r.getStatus() != null
                                    && Conditions.find(r.getStatus().conditions, Conditions.READY)
                                            .map(c -> "True".equals(c.getStatus()))
                                            .orElse(false);
                        });
        // and every reconcile its creation set off is done: the chart is announced again when the
        // GitRepository's artifact lands, a resync that applies the deployed revision again (CI at
        // 0641a46 had it land after the change, undoing it); a requested reconcile comes after it
        // in the release's order, so once it is handled nothing older is left
        String requestedAt = Manifests.requestReconcile(client, HelmRelease.class, ns, "settings");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                requestedAt.equals(
                                        helmRelease(ns).getStatus().lastHandledReconcileAt));
    }

    private static void change(String ns, Map<String, String> data) {
        client.configMaps()
                .inNamespace(ns)
                .withName("settings")
                .edit(
                        c -> {
                            c.getData().putAll(data);
                            return c;
                        });
    }

    private static HelmRelease helmRelease(String ns) {
        return client.resources(HelmRelease.class).inNamespace(ns).withName("settings").get();
    }

    private static ConfigMap settings(String ns) {
        return client.configMaps().inNamespace(ns).withName("settings").get();
    }

    private static boolean alert(ConsumerRecord<String, String> record, String ns, String reason) {
        return ("HelmRelease/" + ns + "/settings").equals(record.key())
                && record.value().contains(reason);
    }
}
