package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sluice.contracts.kustomize.Kustomization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Kustomization's {@code spec.ignore} (kustomize-controller v1.9): the fields its rules select
 * are not drift, and an apply for another reason neither reverts them nor takes them from the
 * applier that owns them; objects the target does not select are corrected in full.
 */
@ExtendWith(LocalStackExtension.class)
class KustomizationIgnoreTest {
    private static final String NS = "ks-ignore-test";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @SuppressWarnings("unchecked")
    void ignoredFieldsAreNeitherDriftNorRevertedNorTakenOver() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String url = stack.git().create(NS);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), url)
                        .write("app/settings.yaml", configMap("settings", "blue"))
                        .write("app/other.yaml", configMap("other", "blue"))) {
            repo.commitAndPush("two ConfigMaps of size 1");
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(
                    client,
                    Manifests.kustomization(NS, "app", NS, "./app")
                            + """
                      targetNamespace: %s
                      ignore:
                        - paths: ["/data/size"]
                          target: {kind: ConfigMap, name: settings}
                    """
                                    .formatted(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "2s"));
            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));

            // an autoscaler-like writer changes both sizes, and the colour of one
            edit(client, "settings", Map.of("size", "3", "colour", "red"));
            edit(client, "other", Map.of("size", "3"));
            await().atMost(DEADLINE).until(() -> "1".equals(data(client, "other").get("size")));
            await().atMost(DEADLINE)
                    .until(() -> "blue".equals(data(client, "settings").get("colour")));
            assertThat(data(client, "settings"))
                    .as("the colour corrected, the ignored size kept")
                    .containsEntry("size", "3");

            // another applier takes the size; Git changes the colour
            client.configMaps()
                    .inNamespace(NS)
                    .resource(
                            new ConfigMapBuilder()
                                    .withNewMetadata()
                                    .withName("settings")
                                    .withNamespace(NS)
                                    .endMetadata()
                                    .withData(Map.of("size", "5"))
                                    .build())
                    .fieldManager("operator")
                    .forceConflicts()
                    .serverSideApply();
            String revision =
                    repo.write("app/settings.yaml", configMap("settings", "green"))
                            .commitAndPush("green");
            await().atMost(DEADLINE)
                    .until(
                            () -> {
                                Kustomization app =
                                        client.resources(Kustomization.class)
                                                .inNamespace(NS)
                                                .withName("app")
                                                .get();
                                return app.getStatus() != null
                                        && app.getStatus().lastAppliedRevision != null
                                        && app.getStatus().lastAppliedRevision.endsWith(revision);
                            });
            ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
            assertThat(settings.getData())
                    .containsEntry("colour", "green")
                    .containsEntry("size", "5");
            assertThat(settings.getMetadata().getManagedFields())
                    .filteredOn(f -> "sluice".equals(f.getManager()))
                    .extracting(ManagedFieldsEntry::getFieldsV1)
                    .allSatisfy(
                            fields ->
                                    assertThat(
                                                    ((Map<String, Object>)
                                                            fields.getAdditionalProperties()
                                                                    .get("f:data")))
                                            .as("the size left to the applier that owns it")
                                            .containsKey("f:colour")
                                            .doesNotContainKey("f:size"));
        }
    }

    private static String configMap(String name, String colour) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {size: \"1\", colour: %s}\n"
                .formatted(name, colour);
    }

    /** An update (not an apply), as an autoscaler or a person with kubectl edit makes it. */
    private static void edit(KubernetesClient client, String name, Map<String, String> data) {
        client.configMaps()
                .inNamespace(NS)
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        io.fabric8.kubernetes.client.utils.Serialization.asJson(
                                Map.of("data", data)));
    }

    private static Map<String, String> data(KubernetesClient client, String name) {
        return client.configMaps().inNamespace(NS).withName(name).get().getData();
    }
}
