package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.contracts.kustomize.Inventory;
import io.sluice.contracts.kustomize.InventoryEntry;
import io.sluice.contracts.kustomize.Kustomization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Kustomization that Flux's kustomize-controller applied, taken over by Sluice: objects as Flux
 * leaves them (its ownership labels, its field manager, kubectl's last-applied annotation from
 * before Flux, its inventory in the status). Sluice's first apply makes Flux's fields its own, so a
 * field removed from Git is removed from the cluster, and prunes from Flux's inventory an object no
 * longer in Git; a field another controller owns stays.
 */
@ExtendWith(LocalStackExtension.class)
class TakeOverFromFluxTest {
    private static final String NS = "take-over-test";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void fluxsFieldsAndInventoryBecomeSluicesOnTheFirstApply() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String url = stack.git().create(NS);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), url)
                        .write(
                                "app/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                        + "data: {kept: from-git}\n")) {
            repo.commitAndPush("settings without 'removed'");
            Manifests.apply(client, Manifests.namespace(NS));
            // as kustomize-controller applied the last revision it saw, which still had 'removed'
            // and an 'orphan' ConfigMap, over an object once created by kubectl apply
            applyAsFlux(
                    client,
                    configMap("settings", Map.of("kept", "from-git", "removed", "old")).build());
            // kubectl's annotation, under a manager nobody takes over: removed by name, as Flux
            // does
            client.configMaps()
                    .inNamespace(NS)
                    .resource(
                            new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("settings")
                                    .withNamespace(NS)
                                    .addToAnnotations(
                                            "kubectl.kubernetes.io/last-applied-configuration",
                                            "{}")
                                    .endMetadata()
                                    .build())
                    .fieldManager("a-person")
                    .serverSideApply();
            applyAsFlux(client, configMap("orphan", Map.of("x", "y")).build());
            client.configMaps()
                    .inNamespace(NS)
                    .resource(configMap("settings", Map.of("operator", "set")).build())
                    .fieldManager("some-operator")
                    .forceConflicts()
                    .serverSideApply();

            Manifests.apply(
                    client,
                    Manifests.kustomization(NS, "app", NS, "./app")
                            .replace(
                                    "  prune: true",
                                    "  prune: true\n  suspend: true\n  targetNamespace: " + NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            // merge patches, without a resourceVersion: Sluice writes the suspended object's status
            var app = client.resources(Kustomization.class).inNamespace(NS).withName("app");
            app.subresource("status")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(
                                    Map.of(
                                            "status",
                                            Map.of(
                                                    "inventory",
                                                    new Inventory(
                                                            List.of(
                                                                    entry(
                                                                            NS
                                                                                    + "_settings__ConfigMap"),
                                                                    entry(
                                                                            NS
                                                                                    + "_orphan__ConfigMap")))))));
            app.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");

            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    client.configMaps().inNamespace(NS).withName("orphan").get()
                                            == null);
            ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
            assertThat(settings.getData())
                    .as("Flux's field removed with Git, the operator's kept")
                    .isEqualTo(Map.of("kept", "from-git", "operator", "set"));
            assertThat(settings.getMetadata().getAnnotations())
                    .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
            assertThat(settings.getMetadata().getManagedFields())
                    .extracting(ManagedFieldsEntry::getManager)
                    .contains("sluice", "some-operator")
                    .doesNotContain("kustomize-controller");
        }
    }

    private static ConfigMapBuilder configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("kustomize.toolkit.fluxcd.io/name", "app")
                .addToLabels("kustomize.toolkit.fluxcd.io/namespace", NS)
                .endMetadata()
                .withData(data);
    }

    private static void applyAsFlux(KubernetesClient client, ConfigMap object) {
        client.resource(object)
                .fieldManager("kustomize-controller")
                .forceConflicts()
                .serverSideApply();
    }

    private static InventoryEntry entry(String id) {
        return new InventoryEntry(id, "v1");
    }
}
