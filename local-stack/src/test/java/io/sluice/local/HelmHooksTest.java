package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chart with hooks of every phase and weights, from Git, through the real stack: each phase runs
 * only its own hooks, in Helm's order, and the release is recorded in Helm's storage so that the
 * real helm CLI lists it.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmHooksTest {
    private static final String NS = "helm-hooks";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOOKS =
            """
            {{- range $hook := list
                (list "pre-install-heavy" "pre-install" "5" "")
                (list "pre-install-light" "pre-install" "-5" "")
                (list "pre-install-done" "pre-install" "0" "hook-succeeded")
                (list "install-or-upgrade" "pre-install,pre-upgrade" "10" "")
                (list "post-upgrade" "post-upgrade" "0" "")
                (list "pre-rollback" "pre-rollback" "0" "")
                (list "pre-delete" "pre-delete" "0" "")
                (list "post-delete" "post-delete" "0" "") }}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ index $hook 0 }}
              annotations:
                helm.sh/hook: {{ index $hook 1 }}
                helm.sh/hook-weight: {{ index $hook 2 | quote }}
                {{- if index $hook 3 }}
                helm.sh/hook-delete-policy: {{ index $hook 3 }}
                {{- end }}
            data:
              message: {{ $.Values.message | quote }}
            {{- end }}
            """;
    private static final List<String> HOOK_NAMES =
            List.of(
                    "pre-install-heavy",
                    "pre-install-light",
                    "pre-install-done",
                    "install-or-upgrade",
                    "post-upgrade",
                    "pre-rollback",
                    "pre-delete",
                    "post-delete");

    private static KubernetesClient client;
    private static String url;
    private static Watch watch;

    /**
     * Every hook ConfigMap event, in the order the API server sent them: "ADDED name", "DELETED
     * name".
     */
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void chartInGit() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        watch =
                client.configMaps()
                        .inNamespace(NS)
                        .watch(
                                new Watcher<>() {
                                    @Override
                                    public void eventReceived(Action action, ConfigMap configMap) {
                                        if (HOOK_NAMES.contains(configMap.getMetadata().getName())
                                                && action != Action.MODIFIED) {
                                            events.add(
                                                    action
                                                            + " "
                                                            + configMap.getMetadata().getName());
                                        }
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {}
                                });
        url = stack.git().create("hook-charts");
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("hook-charts"), url)) {
            repo.write(
                            "charts/hooks/Chart.yaml",
                            "apiVersion: v2\nname: hooks\nversion: 1.0.0\nappVersion: \"1\"\n")
                    .write("charts/hooks/values.yaml", "message: one\n")
                    .write(
                            "charts/hooks/templates/settings.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata:
                              name: {{ .Release.Name }}-settings
                            data:
                              message: {{ .Values.message | quote }}
                            """)
                    .write("charts/hooks/templates/hooks.yaml", HOOKS)
                    .commitAndPush("a chart with hooks");
        }
        Manifests.apply(client, Manifests.gitRepository(NS, "hook-charts", url, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: hooks, namespace: helm-hooks}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: ./charts/hooks
                      sourceRef: {kind: GitRepository, name: hook-charts}
                  values:
                    message: one
                """);
    }

    @AfterAll
    static void stopWatching() {
        if (watch != null) {
            watch.close();
        }
    }

    @Test
    @Order(1)
    void anInstallRunsOnlyThePreInstallHooksByWeightAndRecordsTheReleaseAsHelmDoes()
            throws Exception {
        awaitReleaseStatus(1, "deployed");
        assertThat(client.configMaps().inNamespace(NS).withName("hooks-settings").get().getData())
                .containsEntry("message", "one");
        await().atMost(DEADLINE)
                .untilAsserted(() -> assertThat(events).contains("DELETED pre-install-done"));
        assertThat(events)
                .as("pre-install hooks in weight order; hook-succeeded deleted once all succeeded")
                .containsExactly(
                        "ADDED pre-install-light",
                        "ADDED pre-install-done",
                        "ADDED pre-install-heavy",
                        "ADDED install-or-upgrade",
                        "DELETED pre-install-done");
        assertThat(
                        client.configMaps()
                                .inNamespace(NS)
                                .withName("pre-install-heavy")
                                .get()
                                .getMetadata()
                                .getLabels())
                .as("hooks are not the release's objects: no Flux labels")
                .doesNotContainKey("helm.toolkit.fluxcd.io/name");

        JsonNode list = JSON.readTree(helm("list", "-n", NS, "-o", "json"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asText()).isEqualTo("hooks");
        assertThat(list.get(0).path("revision").asText()).isEqualTo("1");
        assertThat(list.get(0).path("status").asText()).isEqualTo("deployed");
        assertThat(list.get(0).path("chart").asText()).isEqualTo("hooks-1.0.0");
        assertThat(list.get(0).path("app_version").asText()).isEqualTo("1");
        assertThat(helm("get", "manifest", "hooks", "-n", NS))
                .contains("name: \"hooks-settings\"")
                .doesNotContain("pre-install-heavy");
    }

    @Test
    @Order(2)
    void anUpgradeRunsOnlyTheUpgradeHooksAndSupersedesTheFirstRevision() throws Exception {
        events.clear();
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("hooks")
                .edit(
                        r -> {
                            ((ObjectNode) r.getSpec().values).put("message", "two");
                            return r;
                        });
        awaitReleaseStatus(2, "deployed");
        assertThat(client.configMaps().inNamespace(NS).withName("hooks-settings").get().getData())
                .containsEntry("message", "two");
        assertThat(client.configMaps().inNamespace(NS).withName("post-upgrade").get().getData())
                .containsEntry("message", "two");
        assertThat(events)
                .as("before-hook-creation: the shared hook is deleted and created again")
                .containsExactly(
                        "DELETED install-or-upgrade",
                        "ADDED install-or-upgrade",
                        "ADDED post-upgrade");
        assertThat(releaseSecret(1).getMetadata().getLabels())
                .containsEntry("status", "superseded");

        JsonNode history = JSON.readTree(helm("history", "hooks", "-n", NS, "-o", "json"));
        assertThat(history)
                .extracting(h -> h.path("revision").asInt() + " " + h.path("status").asText())
                .containsExactly("1 superseded", "2 deployed");
        // each revision keeps the values it was made with, as Helm records them
        assertThat(JSON.readTree(helm("get", "values", "hooks", "-n", NS, "-o", "json")))
                .isEqualTo(JSON.readTree("{\"message\":\"two\"}"));
        assertThat(
                        JSON.readTree(
                                helm(
                                        "get",
                                        "values",
                                        "hooks",
                                        "-n",
                                        NS,
                                        "--revision",
                                        "1",
                                        "-o",
                                        "json")))
                .isEqualTo(JSON.readTree("{\"message\":\"one\"}"));
    }

    @Test
    @Order(3)
    void aDeletedReleaseRunsItsDeleteHooksAroundTheUninstallAndLeavesNoHistory() throws Exception {
        events.clear();
        client.resources(HelmRelease.class).inNamespace(NS).withName("hooks").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.resources(HelmRelease.class)
                                                .inNamespace(NS)
                                                .withName("hooks")
                                                .get()
                                        == null);
        assertThat(client.configMaps().inNamespace(NS).withName("hooks-settings").get()).isNull();
        assertThat(events).containsExactly("ADDED pre-delete", "ADDED post-delete");
        assertThat(client.configMaps().inNamespace(NS).withName("pre-rollback").get())
                .as("no rollback happened")
                .isNull();
        assertThat(client.secrets().inNamespace(NS).withLabel("owner", "helm").list().getItems())
                .isEmpty();
        assertThat(JSON.readTree(helm("list", "-n", NS, "-o", "json"))).isEmpty();
    }

    @Test
    @Order(4)
    void installDisableHooksInstallsWithoutRunningThePreInstallHooks() {
        String ns = "helm-hooks-disabled";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, "hook-charts", url, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: hooks, namespace: %s}
                spec:
                  interval: 10m
                  install: {disableHooks: true}
                  chart:
                    spec:
                      chart: ./charts/hooks
                      sourceRef: {kind: GitRepository, name: hook-charts}
                """
                        .formatted(ns));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                client.secrets()
                                                        .inNamespace(ns)
                                                        .withName("sh.helm.release.v1.hooks.v1")
                                                        .get())
                                        .extracting(s -> s.getMetadata().getLabels().get("status"))
                                        .isEqualTo("deployed"));
        assertThat(client.configMaps().inNamespace(ns).withName("hooks-settings").get())
                .isNotNull();
        assertThat(client.configMaps().inNamespace(ns).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .doesNotContainAnyElementsOf(HOOK_NAMES);
    }

    private static void awaitReleaseStatus(int version, String status) {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            Secret secret = releaseSecret(version);
                            assertThat(secret).as("release Secret v" + version).isNotNull();
                            assertThat(secret.getType()).isEqualTo("helm.sh/release.v1");
                            assertThat(secret.getMetadata().getLabels())
                                    .containsEntry("status", status)
                                    .containsEntry("owner", "helm")
                                    .containsEntry("name", "hooks")
                                    .containsEntry("version", Integer.toString(version));
                            HelmRelease release =
                                    client.resources(HelmRelease.class)
                                            .inNamespace(NS)
                                            .withName("hooks")
                                            .get();
                            assertThat(
                                            Conditions.isTrue(
                                                    release.getStatus().conditions,
                                                    Conditions.READY))
                                    .isTrue();
                        });
    }

    private static Secret releaseSecret(int version) {
        return client.secrets()
                .inNamespace(NS)
                .withName("sh.helm.release.v1.hooks.v" + version)
                .get();
    }

    /** The real helm CLI (the pinned build) against the stack's API server. */
    static String helm(String... args) throws Exception {
        String helm = Launcher.output(Path.of("../deploy/local/helm/build").toAbsolutePath());
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                helm,
                                "--kubeconfig",
                                LocalStackExtension.stack().kubeconfig().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
        return out;
    }
}
