package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.apply.prune.InventoryPruner;
import io.sluice.contracts.events.AppliedObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A prune reads an object, judges it still its owner's, and deletes it: an object another
 * Kustomization takes over between the read and the delete is left to it. The write that comes
 * between is made by an interceptor of the pruner's own client, just before its DELETE goes out,
 * because no real timing puts it there reliably; the API server is the real one, and it is the real
 * resourceVersion precondition that refuses the stale delete.
 */
@ExtendWith(LocalStackExtension.class)
class PruneRaceTest {
    private static final String NS = "prune-race";
    private static final Map<String, String> APPS =
            Map.of(
                    "kustomize.toolkit.fluxcd.io/name",
                    "apps",
                    "kustomize.toolkit.fluxcd.io/namespace",
                    NS);
    private static final Map<String, String> INFRA =
            Map.of(
                    "kustomize.toolkit.fluxcd.io/name",
                    "infra",
                    "kustomize.toolkit.fluxcd.io/namespace",
                    NS);

    @Test
    void anObjectTakenOverBetweenTheReadAndTheDeleteIsNotDeleted() {
        KubernetesClient client = LocalStackExtension.stack().client();
        Manifests.apply(client, Manifests.namespace(NS));
        ConfigMap moving = create(client, "moving");

        List<AppliedObject> deleted =
                pruneWithAWriteBeforeTheDelete(
                        client,
                        moving,
                        live -> live.getMetadata().setLabels(new java.util.HashMap<>(INFRA)));

        assertThat(deleted).isEmpty();
        assertThat(client.configMaps().inNamespace(NS).withName("moving").get())
                .as("the object infra took over")
                .isNotNull()
                .satisfies(c -> assertThat(c.getMetadata().getLabels()).isEqualTo(INFRA));
    }

    @Test
    void anObjectChangedButStillItsOwnersBetweenTheReadAndTheDeleteIsDeleted() {
        KubernetesClient client = LocalStackExtension.stack().client();
        Manifests.apply(client, Manifests.namespace(NS));
        ConfigMap touched = create(client, "touched");

        List<AppliedObject> deleted =
                pruneWithAWriteBeforeTheDelete(
                        client,
                        touched,
                        live -> live.getMetadata().setAnnotations(Map.of("touched", "yes")));

        assertThat(deleted).extracting(AppliedObject::name).containsExactly("touched");
        assertThat(client.configMaps().inNamespace(NS).withName("touched").get()).isNull();
    }

    private static ConfigMap create(KubernetesClient client, String name) {
        return client.resource(
                        new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(NS)
                                .withLabels(APPS)
                                .endMetadata()
                                .withData(Map.of("value", "1"))
                                .build())
                .serverSideApply();
    }

    /**
     * Prunes {@code object} from apps's inventory with a client that, before the first DELETE it
     * sends, has {@code write} made to the object through another client.
     */
    private static List<AppliedObject> pruneWithAWriteBeforeTheDelete(
            KubernetesClient client, ConfigMap object, Consumer<ConfigMap> write) {
        AtomicBoolean written = new AtomicBoolean();
        Interceptor writeFirst =
                new Interceptor() {
                    @Override
                    public void before(
                            BasicBuilder builder,
                            HttpRequest request,
                            Interceptor.RequestTags tags) {
                        if (request.method().equals("DELETE")
                                && request.uri()
                                        .getPath()
                                        .endsWith("/" + object.getMetadata().getName())
                                && written.compareAndSet(false, true)) {
                            client.configMaps()
                                    .inNamespace(NS)
                                    .withName(object.getMetadata().getName())
                                    .edit(
                                            live -> {
                                                write.accept(live);
                                                return live;
                                            });
                        }
                    }
                };
        try (KubernetesClient pruning =
                new KubernetesClientBuilder()
                        .withConfig(client.getConfiguration())
                        .withHttpClientBuilderConsumer(
                                b -> b.addOrReplaceInterceptor("write-first", writeFirst))
                        .build()) {
            List<AppliedObject> deleted =
                    new InventoryPruner(pruning)
                            .prune(APPS, List.of(ObjectId.of(object)), Set.of());
            assertThat(written).as("the write came between the read and the delete").isTrue();
            return deleted;
        }
    }
}
