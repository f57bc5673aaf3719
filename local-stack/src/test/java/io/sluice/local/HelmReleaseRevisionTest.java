package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code .Release.Revision}, {@code IsInstall} and {@code IsUpgrade} as Helm's install and upgrade
 * actions set them (real Helm's upgrade dry run against the same storage is the oracle), a release
 * found in sync applied again as stored rather than rendered again, and a change of the
 * post-renderers or common metadata released as an upgrade, as helm-controller releases it.
 */
@ExtendWith(LocalStackExtension.class)
class HelmReleaseRevisionTest {
    private static final String NS = "helm-revision";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachRevisionRendersItsOwnNumberAndAReleaseInSyncIsNotRenderedAnew() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create("revision-charts");
        Path workspace = Files.createTempDirectory("revision-charts");
        try (GitWorkspace repo = GitWorkspace.init(workspace, url)) {
            repo.write(
                            "charts/revision/Chart.yaml",
                            "apiVersion: v2\nname: revision\nversion: 1.0.0\n")
                    .write("charts/revision/values.yaml", "message: one\n")
                    .write(
                            "charts/revision/templates/release.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: {{ .Release.Name }}-release
                            data:
                              revision: "{{ .Release.Revision }}"
                              install: "{{ .Release.IsInstall }}"
                              upgrade: "{{ .Release.IsUpgrade }}"
                              message: {{ .Values.message | quote }}
                              drawn: {{ randAlphaNum 16 | quote }}
                            """)
                    .commitAndPush("a chart that shows its release");
            Path chart = workspace.resolve("charts/revision");
            Manifests.apply(client, Manifests.gitRepository(NS, "revision-charts", url, "10m"));
            Manifests.apply(
                    client,
                    """
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata: {name: shown, namespace: %s}
                    spec:
                      interval: 10m
                      chart:
                        spec:
                          chart: ./charts/revision
                          sourceRef: {kind: GitRepository, name: revision-charts}
                      values:
                        message: one
                    """
                            .formatted(NS));
            awaitDeployed(client, 1);
            Map<String, String> installed = release(client).getData();
            assertThat(installed)
                    .containsEntry("revision", "1")
                    .containsEntry("install", "true")
                    .containsEntry("upgrade", "false");

            // in sync: applied again as revision 1 was stored, not rendered for an upgrade
            String requestedAt = Manifests.requestReconcile(client, HelmRelease.class, NS, "shown");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    requestedAt.equals(
                                            helmRelease(client)
                                                    .getStatus()
                                                    .lastHandledReconcileAt));
            assertThat(release(client).getData())
                    .as(
                            "a random value drawn again, or revision 2, would mean the render was applied")
                    .isEqualTo(installed);
            assertThat(secret(client, 2)).isNull();

            // what real Helm's upgrade would render from the same storage
            JsonNode oracle =
                    JSON.readTree(
                            HelmHooksTest.helm(
                                    "upgrade",
                                    "shown",
                                    chart.toString(),
                                    "-n",
                                    NS,
                                    "--set",
                                    "message=two",
                                    "--dry-run=server",
                                    "-o",
                                    "json"));
            assertThat(oracle.path("version").asInt()).isEqualTo(2);
            assertThat(oracle.path("manifest").asText()).contains("revision: \"2\"");
            client.resources(HelmRelease.class)
                    .inNamespace(NS)
                    .withName("shown")
                    .edit(
                            r -> {
                                ((ObjectNode) r.getSpec().values).put("message", "two");
                                return r;
                            });
            awaitDeployed(client, 2);
            assertThat(release(client).getData())
                    .containsEntry("revision", "2")
                    .containsEntry("install", "false")
                    .containsEntry("upgrade", "true")
                    .containsEntry("message", "two");

            // commonMetadata changes only what comes after Helm: still a new revision
            client.resources(HelmRelease.class)
                    .inNamespace(NS)
                    .withName("shown")
                    .edit(
                            r -> {
                                r.getSpec().commonMetadata =
                                        JSON.createObjectNode()
                                                .set(
                                                        "labels",
                                                        JSON.createObjectNode()
                                                                .put("team", "platform"));
                                return r;
                            });
            awaitDeployed(client, 3);
            ConfigMap third = release(client);
            assertThat(third.getMetadata().getLabels()).containsEntry("team", "platform");
            assertThat(third.getData()).containsEntry("revision", "3");
        }
    }

    private static void awaitDeployed(KubernetesClient client, int version) {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(secret(client, version))
                                    .as("revision " + version)
                                    .isNotNull()
                                    .extracting(s -> s.getMetadata().getLabels().get("status"))
                                    .isEqualTo("deployed");
                            assertThat(
                                            Conditions.isTrue(
                                                    helmRelease(client).getStatus().conditions,
                                                    Conditions.READY))
                                    .isTrue();
                        });
    }

    private static HelmRelease helmRelease(KubernetesClient client) {
        return client.resources(HelmRelease.class).inNamespace(NS).withName("shown").get();
    }

    private static ConfigMap release(KubernetesClient client) {
        return client.configMaps().inNamespace(NS).withName("shown-release").get();
    }

    private static Secret secret(KubernetesClient client, int version) {
        return client.secrets()
                .inNamespace(NS)
                .withName("sh.helm.release.v1.shown.v" + version)
                .get();
    }
}
