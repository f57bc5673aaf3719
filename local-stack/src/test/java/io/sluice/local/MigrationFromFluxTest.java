package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster moved from Flux to Sluice: Flux's own source-controller and kustomize-controller
 * (v1.9.5, built from the Go module proxy) reconcile a repository while Sluice is stopped; then
 * Flux is stopped, the repository drops an object and a field, and Sluice starts on the same
 * objects. Nothing is recreated (UIDs unchanged), the dropped object is pruned from Flux's
 * inventory, the dropped field is removed (Flux's field manager taken over), nothing else is
 * pruned, and the flux CLI shows the Kustomization Ready at the new revision.
 */
@ExtendWith(LocalStackExtension.class)
class MigrationFromFluxTest {
    private static final String NS = "migration-test";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void sluiceTakesOverWhatFluxAppliedWithoutRecreatingAnything() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String url = stack.git().create(NS);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), url)
                        .write(
                                "app/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                        + "data: {kept: from-git, dropped: later}\n")
                        .write(
                                "app/orphan.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: orphan}\n"
                                        + "data: {x: y}\n")
                        .write(
                                "app/web.yaml",
                                """
                                apiVersion: apps/v1
                                kind: Deployment
                                metadata: {name: web}
                                spec:
                                  replicas: 1
                                  selector: {matchLabels: {app: web}}
                                  template:
                                    metadata: {labels: {app: web}}
                                    spec:
                                      containers: [{name: web, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                                """)) {
            String fluxRevision = repo.commitAndPush("three objects");
            Map<String, String> uids;
            stack.stopServices();
            try (FluxControllers flux =
                    FluxControllers.start(
                            stack.repoRoot(),
                            stack.runDir().resolve("flux-controllers"),
                            stack.kubeconfig(),
                            client,
                            NS,
                            "source-controller",
                            "kustomize-controller")) {
                Manifests.apply(client, Manifests.namespace(NS));
                Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "1m"));
                Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));
                await().atMost(DEADLINE).until(() -> readyAt(client, fluxRevision));
                uids =
                        Map.of(
                                "settings", uid(configMap(client, "settings")),
                                "web",
                                        uid(
                                                client.apps()
                                                        .deployments()
                                                        .inNamespace(NS)
                                                        .withName("web")
                                                        .get()));
                assertThat(managers(configMap(client, "settings")))
                        .contains("kustomize-controller");
                assertThat(configMap(client, "orphan")).isNotNull();
            } finally {
                // Flux stopped before Sluice starts, as docs/migrating-from-flux.md says
                repo.delete("app/orphan.yaml");
                repo.write(
                        "app/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                + "data: {kept: from-git}\n");
            }
            String sluiceRevision = repo.commitAndPush("drop the orphan and a field");
            stack.runServicesAsProcesses();

            await().atMost(DEADLINE).until(() -> readyAt(client, sluiceRevision));
            await().atMost(DEADLINE).until(() -> configMap(client, "orphan") == null);
            ConfigMap settings = configMap(client, "settings");
            assertThat(settings.getData()).isEqualTo(Map.of("kept", "from-git"));
            assertThat(managers(settings))
                    .contains("sluice")
                    .doesNotContain("kustomize-controller");
            assertThat(uid(settings)).isEqualTo(uids.get("settings"));
            assertThat(uid(client.apps().deployments().inNamespace(NS).withName("web").get()))
                    .isEqualTo(uids.get("web"));

            FluxCli.Result get = FluxCli.run("get", "kustomizations", "-n", NS);
            assertThat(get.exitCode()).as(get.output()).isZero();
            // the flux CLI shortens the revision
            assertThat(get.output())
                    .contains(
                            "Applied revision: main@sha1:" + sluiceRevision.substring(0, 8),
                            "True");
        } finally {
            if (!stack.service("apply-service").isRunning()) {
                stack.runServicesAsProcesses();
            }
        }
    }

    /** Ready, having applied {@code revision}. */
    private static boolean readyAt(KubernetesClient client, String revision) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(NS).withName("app").get();
        return ks != null
                && ks.getStatus() != null
                && ("main@sha1:" + revision).equals(ks.getStatus().lastAppliedRevision)
                && FluxReady.isReady(client, NS, "app");
    }

    private static ConfigMap configMap(KubernetesClient client, String name) {
        return client.configMaps().inNamespace(NS).withName(name).get();
    }

    private static String uid(HasMetadata object) {
        return object.getMetadata().getUid();
    }

    private static java.util.List<String> managers(HasMetadata object) {
        return object.getMetadata().getManagedFields().stream()
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }
}
