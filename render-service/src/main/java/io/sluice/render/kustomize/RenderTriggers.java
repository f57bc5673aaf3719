package io.sluice.render.kustomize;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.render.helm.HelmReleaseRenderer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * When a Kustomization or HelmRelease is rendered: when its source announces a new artifact
 * (Kafka); when a Kustomization is created, changed, or asked to reconcile (a HelmRelease's chart
 * is announced again on those); when a ConfigMap or Secret it takes values or variables from
 * changes and is labelled {@code reconcile.fluxcd.io/watch: Enabled}, as Flux watches them; and
 * again at its interval whatever happened (level-triggered: a Kustomization by {@link ResyncTimer},
 * a HelmRelease when source-service announces its chart again at its next check). Renders run a few
 * at a time ({@code sluice.render.workers}), each object's in the order they were asked for. Only
 * the objects this replica owns are rendered ({@code contracts} {@code Ownership}).
 */
@ApplicationScoped
public class RenderTriggers {
    static final String WATCH_LABEL = "reconcile.fluxcd.io/watch";
    private static final Duration AFTER_ERROR = Duration.ofSeconds(30);

    /** How long a commit's changed Kustomizations render before the rest start beside them. */
    private static final Duration FIRST_ALONE_FOR = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final Ownership ownership;
    private final KustomizationRenderer renderer;
    private final HelmReleaseRenderer helmReleases;
    private final RenderLanes lanes;
    private final ResyncTimer resync = new ResyncTimer();
    private final CompletableFuture<SharedIndexInformer<Kustomization>> kustomizations =
            new CompletableFuture<>();
    private final List<SharedIndexInformer<?>> watchedValues = new ArrayList<>();

    /**
     * Each HelmRelease's last announced chart: what its resyncs render (source-service announces it
     * again on a restart).
     */
    private final Map<ObjectRef, ArtifactEvent> charts = new ConcurrentHashMap<>();

    public RenderTriggers(
            KubernetesClient client,
            KustomizationRenderer renderer,
            HelmReleaseRenderer helmReleases,
            Tracer tracer,
            Ownership ownership,
            @ConfigProperty(name = "sluice.render.workers", defaultValue = "2") int workers) {
        this.client = client;
        this.ownership = ownership;
        this.lanes = new RenderLanes(workers, tracer);
        this.renderer = renderer;
        this.helmReleases = helmReleases;
    }

    void start(@Observes StartupEvent event) {
        kustomizations.complete(
                client.resources(Kustomization.class)
                        .inAnyNamespace()
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Kustomization ks) {
                                        renderKustomization(ks, null);
                                    }

                                    @Override
                                    public void onUpdate(
                                            Kustomization before, Kustomization after) {
                                        boolean specChanged =
                                                !Objects.equals(
                                                        before.getMetadata().getGeneration(),
                                                        after.getMetadata().getGeneration());
                                        if (specChanged
                                                || !Objects.equals(
                                                        KustomizationRenderer.requestedAt(before),
                                                        KustomizationRenderer.requestedAt(after))) {
                                            renderKustomization(after, null);
                                        }
                                    }

                                    @Override
                                    public void onDelete(
                                            Kustomization ks, boolean finalStateUnknown) {
                                        renderer.forget(ref(ks));
                                        resync.cancel(ref(ks)); // apply-service owns deletion
                                        // (finalizer and prune); nothing to
                                        // render
                                    }
                                }));
        watchedValues.add(
                client.configMaps()
                        .inAnyNamespace()
                        .withLabel(WATCH_LABEL, "Enabled")
                        .inform(this.<ConfigMap>valuesHandler("ConfigMap")));
        watchedValues.add(
                client.secrets()
                        .inAnyNamespace()
                        .withLabel(WATCH_LABEL, "Enabled")
                        .inform(this.<Secret>valuesHandler("Secret")));
    }

    void stop(@Observes ShutdownEvent event) {
        lanes.shutdown();
        resync.shutdown();
        kustomizations.thenAccept(SharedIndexInformer::close);
        watchedValues.forEach(SharedIndexInformer::close);
    }

    @Incoming(Topics.ARTIFACTS)
    public CompletionStage<Void> onArtifact(ArtifactEvent artifact) {
        if (artifact == null || artifact.source() == null) {
            return CompletableFuture.completedFuture(
                    null); // unreadable (see application.properties): skipped
        }
        if (HelmRelease.KIND.equals(artifact.source().kind())) {
            // source-service announces a release's chart at every check: the same chart again at
            // the release's interval is its resync; again because its source's artifact landed,
            // it is not (that resync could re-apply the deployed revision over a change just made)
            // kept whoever owns the release, for the replica it may come to
            ArtifactEvent previous = charts.put(artifact.source(), artifact);
            if (!ownership.owns(artifact.source())) {
                return CompletableFuture.completedFuture(null);
            }
            boolean resync = artifact.atInterval() && artifact.sameArtifactAs(previous);
            return renderHelmRelease(artifact.source(), resync ? Instant.now().toString() : null);
        }
        Context asking = Context.current();
        return kustomizations.thenCompose(
                informer -> {
                    ChangedFirst order =
                            ChangedFirst.of(
                                    informer.getStore().list().stream()
                                            .filter(ks -> references(ks, artifact))
                                            .filter(ks -> ownership.owns(ref(ks)))
                                            .toList(),
                                    artifact.changedPaths());
                    CompletableFuture<Void> first =
                            renderAnnounced(informer, order.first(), artifact);
                    // the rest once those have rendered, whether or not they could, or after a
                    // few seconds: a slow one holds up the others only that long
                    return first.handle((done, error) -> null)
                            .completeOnTimeout(
                                    null, FIRST_ALONE_FOR.toMillis(), TimeUnit.MILLISECONDS)
                            .thenCompose(
                                    done -> {
                                        try (Scope traced = asking.makeCurrent()) {
                                            return renderAnnounced(
                                                    informer, order.then(), artifact);
                                        }
                                    })
                            .thenCompose(done -> first);
                });
    }

    /**
     * Renders each of {@code readers} from the announced artifact, as it is when its turn comes:
     * its spec may have changed (and been rendered) since the artifact was announced, or it may be
     * gone.
     */
    private CompletableFuture<Void> renderAnnounced(
            SharedIndexInformer<Kustomization> informer,
            List<Kustomization> readers,
            ArtifactEvent artifact) {
        return CompletableFuture.allOf(
                readers.stream()
                        .map(
                                ks ->
                                        lanes.submit(
                                                ref(ks),
                                                () -> {
                                                    Kustomization current =
                                                            informer.getStore().get(ks);
                                                    if (current != null
                                                            && references(current, artifact)
                                                            && ownership.owns(ref(current))) {
                                                        renderThenReschedule(
                                                                ref(current),
                                                                () ->
                                                                        renderer.render(
                                                                                current, artifact));
                                                    }
                                                }))
                        .toArray(CompletableFuture[]::new));
    }

    /** Renders {@code ks} if this replica owns it (asked, and still when its turn comes). */
    private CompletableFuture<Void> renderKustomization(Kustomization ks, String resyncAt) {
        ObjectRef ref = ref(ks);
        if (!ownership.owns(ref)) {
            return CompletableFuture.completedFuture(null);
        }
        return lanes.submit(
                ref,
                () -> {
                    if (ownership.owns(ref)) {
                        renderThenReschedule(ref, () -> renderer.render(ks, resyncAt));
                    }
                });
    }

    /**
     * Renders, then schedules the next resync, whatever happened: an error (say, the broker down)
     * is retried shortly.
     */
    private void renderThenReschedule(ObjectRef ref, Supplier<Optional<Duration>> render) {
        Optional<Duration> next = Optional.of(AFTER_ERROR);
        try {
            next = render.get();
        } finally {
            reschedule(ref, next);
        }
    }

    private CompletableFuture<Void> renderHelmRelease(ObjectRef release, String resyncAt) {
        if (!ownership.owns(release)) {
            return CompletableFuture.completedFuture(null);
        }
        return lanes.submit(
                release,
                () -> {
                    if (!ownership.owns(release)) {
                        return;
                    }
                    ArtifactEvent chart = charts.get(release);
                    if (chart == null || !helmReleases.render(chart, resyncAt)) {
                        charts.remove(release);
                    }
                });
    }

    /**
     * Kustomizations whose partition came to this replica are rendered at once from their source's
     * artifact as it is now, what was remembered of them dropped (another replica may have rendered
     * them since); a lone replica's first assignment comes with every one, as kustomize-controller
     * reconciles every Kustomization when it starts. Those that left are no longer resynced here. A
     * HelmRelease that comes is rendered from the last chart announced for it, if this replica read
     * one (apply-service upgrades only if that chart and values are not the release's already);
     * else when source-service announces it again, at the latest at the release's interval.
     */
    void ownershipChanged(@Observes OwnershipChange change) {
        charts.keySet().stream()
                .filter(change::cameWith)
                .forEach(release -> renderHelmRelease(release, null));
        kustomizations.thenAccept(
                informer -> {
                    for (Kustomization ks : informer.getStore().list()) {
                        ObjectRef ref = ref(ks);
                        if (change.cameWith(ref)) {
                            renderer.forget(ref);
                            renderKustomization(ks, null);
                        } else if (change.leftWith(ref)) {
                            resync.cancel(ref);
                            renderer.forget(ref);
                        }
                    }
                });
    }

    /**
     * A Kustomization's next resync after a render: rendered again, as it is then, at the delay the
     * render asked for.
     */
    private void reschedule(ObjectRef object, Optional<Duration> delay) {
        if (delay.isEmpty()) {
            resync.cancel(object);
            return;
        }
        resync.schedule(
                object,
                delay.get(),
                () ->
                        kustomization(object)
                                .ifPresent(
                                        ks -> renderKustomization(ks, Instant.now().toString())));
    }

    private Optional<Kustomization> kustomization(ObjectRef ref) {
        return Optional.ofNullable(kustomizations.getNow(null))
                .map(informer -> informer.getStore().getByKey(ref.namespace() + "/" + ref.name()));
    }

    /**
     * A watched ConfigMap or Secret changed: every Kustomization and HelmRelease of its namespace
     * that reads it renders again.
     */
    private <T extends HasMetadata> ResourceEventHandler<T> valuesHandler(String kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                // present at start or newly labelled: the objects reading it render at their own
                // triggers
            }

            @Override
            public void onUpdate(T before, T after) {
                if (!Objects.equals(data(before), data(after))) {
                    renderReaders(
                            kind,
                            after.getMetadata().getNamespace(),
                            after.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                renderReaders(
                        kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
            }
        };
    }

    private void renderReaders(String kind, String namespace, String name) {
        String at = Instant.now().toString();
        kustomizationsIn(namespace)
                .forEach(
                        ks -> {
                            if (substitutesFrom(ks, kind, name)) {
                                renderKustomization(ks, at);
                            }
                        });
        charts.keySet().stream()
                .filter(ref -> ref.namespace().equals(namespace) && ownership.owns(ref))
                .forEach(
                        ref -> {
                            HelmRelease release =
                                    client.resources(HelmRelease.class)
                                            .inNamespace(namespace)
                                            .withName(ref.name())
                                            .get();
                            if (release != null
                                    && release.getSpec().valuesFrom != null
                                    && release.getSpec().valuesFrom.stream()
                                            .anyMatch(
                                                    v ->
                                                            kind.equals(v.kind)
                                                                    && name.equals(v.name))) {
                                renderHelmRelease(ref, at);
                            }
                        });
    }

    private List<Kustomization> kustomizationsIn(String namespace) {
        SharedIndexInformer<Kustomization> informer = kustomizations.getNow(null);
        return informer == null
                ? List.of()
                : informer.getStore().list().stream()
                        .filter(ks -> namespace.equals(ks.getMetadata().getNamespace()))
                        .toList();
    }

    private static boolean substitutesFrom(Kustomization ks, String kind, String name) {
        var postBuild = ks.getSpec().postBuild;
        if (postBuild == null) {
            return false;
        }
        for (var source : postBuild.path("substituteFrom")) {
            if (kind.equals(source.path("kind").asText())
                    && name.equals(source.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Object data(HasMetadata object) {
        if (object instanceof ConfigMap configMap) {
            return List.of(
                    Objects.requireNonNullElse(configMap.getData(), Map.of()),
                    Objects.requireNonNullElse(configMap.getBinaryData(), Map.of()));
        }
        Secret secret = (Secret) object;
        return List.of(
                Objects.requireNonNullElse(secret.getData(), Map.of()),
                Objects.requireNonNullElse(secret.getStringData(), Map.of()));
    }

    private static ObjectRef ref(Kustomization ks) {
        return new ObjectRef(
                Kustomization.KIND, ks.getMetadata().getNamespace(), ks.getMetadata().getName());
    }

    private static boolean references(Kustomization ks, ArtifactEvent artifact) {
        var ref = ks.getSpec().sourceRef;
        return ref != null
                && (GitRepository.KIND.equals(ref.kind) || OCIRepository.KIND.equals(ref.kind))
                && artifact.source().kind().equals(ref.kind)
                && artifact.source().name().equals(ref.name)
                && artifact.source().namespace().equals(KustomizationRenderer.sourceNamespace(ks));
    }
}
