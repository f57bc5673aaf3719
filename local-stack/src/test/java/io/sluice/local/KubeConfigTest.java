package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kustomization {@code spec.kubeConfig.secretRef}: the objects go to the cluster the kubeconfig in
 * the Secret names (a second control plane, started by the stack), are waited for there, and are
 * deleted there with the Kustomization; nothing lands in the cluster Sluice runs in. A Secret that
 * is missing fails with kustomize-controller's words and applies nothing anywhere.
 */
@ExtendWith(LocalStackExtension.class)
class KubeConfigTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static KubernetesClient local;
    private static KubernetesClient remote;
    private static String url;
    private static String commit;
    private static String kubeconfig;

    @BeforeAll
    static void twoClusters() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        local = stack.client();
        ControlPlane second = stack.secondControlPlane();
        remote = second.client();
        kubeconfig = second.inlineKubeconfig();
        url = stack.git().create("remote-apps");
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("remote-apps"), url)) {
            commit =
                    repo.write(
                                    "app/namespace.yaml",
                                    "apiVersion: v1\nkind: Namespace\nmetadata: {name: remote-apps}\n")
                            .write(
                                    "app/settings.yaml",
                                    """
                                    apiVersion: v1
                                    kind: ConfigMap
                                    metadata: {name: settings, namespace: remote-apps}
                                    data: {cluster: remote}
                                    """)
                            .write(
                                    "app/web.yaml",
                                    """
                                    apiVersion: apps/v1
                                    kind: Deployment
                                    metadata: {name: web, namespace: remote-apps}
                                    spec:
                                      replicas: 1
                                      selector: {matchLabels: {app: web}}
                                      template:
                                        metadata: {labels: {app: web}}
                                        spec:
                                          containers: [{name: web, image: nginx}]
                                    """)
                            .commitAndPush("apps for the remote cluster");
        }
    }

    @AfterAll
    static void closeRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void theObjectsGoToTheRemoteClusterAreWaitedForThereAndDeletedThere() {
        String ns = "kubeconfig-remote";
        Manifests.apply(local, Manifests.namespace(ns));
        Manifests.createSecret(local, ns, "remote-kubeconfig", Map.of("value", kubeconfig));
        kustomization(ns, "remote-kubeconfig");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("True");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "Applied revision: main@sha1:"
                                                                            + commit);
                                                }));
        ConfigMap settings =
                remote.configMaps().inNamespace("remote-apps").withName("settings").get();
        assertThat(settings.getData()).containsEntry("cluster", "remote");
        assertThat(settings.getMetadata().getLabels())
                .containsEntry("kustomize.toolkit.fluxcd.io/name", "app")
                .containsEntry("kustomize.toolkit.fluxcd.io/namespace", ns);
        assertThat(remote.apps().deployments().inNamespace("remote-apps").withName("web").get())
                .isNotNull();
        assertThat(local.namespaces().withName("remote-apps").get())
                .as("nothing applied to the cluster Sluice runs in")
                .isNull();

        local.resources(Kustomization.class).inNamespace(ns).withName("app").delete();
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            remote.configMaps()
                                                    .inNamespace("remote-apps")
                                                    .withName("settings")
                                                    .get())
                                    .as("pruned on the remote cluster")
                                    .isNull();
                            assertThat(
                                            local.resources(Kustomization.class)
                                                    .inNamespace(ns)
                                                    .withName("app")
                                                    .get())
                                    .isNull();
                        });
    }

    @Test
    void aMissingKubeConfigSecretFailsWithFluxsWordsAndAppliesNothing() {
        String ns = "kubeconfig-missing";
        Manifests.apply(local, Manifests.namespace(ns));
        kustomization(ns, "absent");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "unable to read KubeConfig secret '"
                                                                            + ns
                                                                            + "/absent' error: secrets \"absent\" not found");
                                                }));
        assertThat(local.namespaces().withName("remote-apps").get()).isNull();
        assertThat(
                        local.resources(Kustomization.class)
                                .inNamespace(ns)
                                .withName("app")
                                .get()
                                .getStatus()
                                .inventory)
                .as("nothing recorded as applied")
                .isNull();
    }

    private static void kustomization(String ns, String secret) {
        Manifests.apply(local, Manifests.gitRepository(ns, "repo", url, "10m"));
        Manifests.apply(
                local,
                Manifests.kustomization(ns, "app", "repo", "./app")
                        + """
                          kubeConfig:
                            secretRef: {name: %s}
                        """
                                .formatted(secret));
    }

    private static Optional<Condition> ready(String ns) {
        Kustomization ks =
                local.resources(Kustomization.class).inNamespace(ns).withName("app").get();
        return ks == null || ks.getStatus() == null
                ? Optional.empty()
                : Conditions.find(ks.getStatus().conditions, Conditions.READY);
    }
}
