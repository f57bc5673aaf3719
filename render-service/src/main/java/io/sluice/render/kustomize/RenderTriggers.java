package io.sluice.render.kustomize;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.source.GitRepository;
import io.sluice.render.helm.HelmReleaseRenderer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * When a Kustomization is rendered: when its source announces a new artifact (Kafka), and when the Kustomization
 * itself is created, changed, or asked to reconcile. A HelmRelease is rendered when source-service announces its
 * chart (which it also does on a spec change). Renders run a few at a time ({@code sluice.render.workers}), each
 * object's in the order they were asked for.
 */
@ApplicationScoped
public class RenderTriggers {
    private final KubernetesClient client;
    private final KustomizationRenderer renderer;
    private final HelmReleaseRenderer helmReleases;
    private final RenderLanes lanes;
    private final CompletableFuture<SharedIndexInformer<Kustomization>> kustomizations = new CompletableFuture<>();

    public RenderTriggers(KubernetesClient client, KustomizationRenderer renderer, HelmReleaseRenderer helmReleases,
                          @ConfigProperty(name = "sluice.render.workers", defaultValue = "2") int workers) {
        this.client = client;
        this.lanes = new RenderLanes(workers);
        this.renderer = renderer;
        this.helmReleases = helmReleases;
    }

    void start(@Observes StartupEvent event) {
        kustomizations.complete(client.resources(Kustomization.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Kustomization ks) {
                lanes.submit(ref(ks), () -> renderer.render(ks));
            }

            @Override
            public void onUpdate(Kustomization before, Kustomization after) {
                boolean specChanged = !Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
                if (specChanged || !Objects.equals(KustomizationRenderer.requestedAt(before), KustomizationRenderer.requestedAt(after))) {
                    lanes.submit(ref(after), () -> renderer.render(after));
                }
            }

            @Override
            public void onDelete(Kustomization ks, boolean finalStateUnknown) {
                // apply-service owns deletion (finalizer and prune); nothing to render.
            }
        }));
    }

    void stop(@Observes ShutdownEvent event) {
        lanes.shutdown();
        kustomizations.thenAccept(SharedIndexInformer::close);
    }

    @Incoming(Topics.ARTIFACTS)
    public CompletionStage<Void> onArtifact(ArtifactEvent artifact) {
        if (HelmRelease.KIND.equals(artifact.source().kind())) {
            return lanes.submit(artifact.source(), () -> helmReleases.render(artifact));
        }
        return kustomizations.thenCompose(informer -> CompletableFuture.allOf(informer.getStore().list().stream()
                .filter(ks -> references(ks, artifact))
                .map(ks -> lanes.submit(ref(ks), () -> renderer.render(ks, artifact)))
                .toArray(CompletableFuture[]::new)));
    }

    private static ObjectRef ref(Kustomization ks) {
        return new ObjectRef(Kustomization.KIND, ks.getMetadata().getNamespace(), ks.getMetadata().getName());
    }

    private static boolean references(Kustomization ks, ArtifactEvent artifact) {
        var ref = ks.getSpec().sourceRef;
        return ref != null && GitRepository.KIND.equals(ref.kind)
                && artifact.source().kind().equals(ref.kind)
                && artifact.source().name().equals(ref.name)
                && artifact.source().namespace().equals(KustomizationRenderer.sourceNamespace(ks));
    }
}
