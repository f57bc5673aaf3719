package io.sluice.apply.owner;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.apply.drift.DriftPolicy;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.DependencyReference;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.kustomize.SourceReference;
import io.sluice.contracts.meta.Conditions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every Kustomization and HelmRelease as informers see them, so that dependsOn and drift checks
 * read no API server; listeners hear of each change (a dependency turning Ready, a release
 * resumed).
 */
@ApplicationScoped
public class OwnerCache {
    /** Flux's finalizer name, so a cluster moved from Flux keeps working and vice versa. */
    public static final String FINALIZER = "finalizers.fluxcd.io";

    private final KubernetesClient client;
    private final List<Consumer<OwnerView>> listeners = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Kustomization> kustomizations;
    private SharedIndexInformer<HelmRelease> releases;

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public OwnerCache(KubernetesClient client) {
        this.client = client;
    }

    void start(@Observes StartupEvent event) {
        kustomizations =
                client.resources(Kustomization.class)
                        .inAnyNamespace()
                        .inform(handler(OwnerCache::view));
        releases =
                client.resources(HelmRelease.class)
                        .inAnyNamespace()
                        .inform(handler(OwnerCache::view));
        started.complete(null);
    }

    /** Completes once both informers have listed what there is: {@link #all} is whole from then. */
    public CompletableFuture<Void> started() {
        return started;
    }

    void stop(@Observes ShutdownEvent event) {
        if (kustomizations != null) {
            kustomizations.close();
        }
        if (releases != null) {
            releases.close();
        }
    }

    public void onChange(Consumer<OwnerView> listener) {
        listeners.add(listener);
    }

    public Optional<OwnerView> view(ObjectRef ref) {
        String key = ref.namespace() + "/" + ref.name();
        if (HelmRelease.KIND.equals(ref.kind())) {
            return releases == null
                    ? Optional.empty()
                    : Optional.ofNullable(releases.getIndexer().getByKey(key))
                            .map(OwnerCache::view);
        }
        return kustomizations == null
                ? Optional.empty()
                : Optional.ofNullable(kustomizations.getIndexer().getByKey(key))
                        .map(OwnerCache::view);
    }

    /** Every Kustomization and HelmRelease in the cache. */
    public List<OwnerView> all() {
        List<OwnerView> all = new ArrayList<>();
        if (kustomizations != null) {
            kustomizations.getStore().list().forEach(ks -> all.add(view(ks)));
        }
        if (releases != null) {
            releases.getStore().list().forEach(release -> all.add(view(release)));
        }
        return all;
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(
            java.util.function.Function<T, OwnerView> view) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                tell(view.apply(object));
            }

            @Override
            public void onUpdate(T before, T after) {
                tell(view.apply(after));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                // a deleted dependency keeps its dependents waiting; nothing to tell
            }
        };
    }

    private void tell(OwnerView view) {
        listeners.forEach(l -> l.accept(view));
    }

    static OwnerView view(Kustomization ks) {
        var status = ks.getStatus();
        return new OwnerView(
                ref(Kustomization.KIND, ks),
                generation(ks),
                status == null || status.observedGeneration == null
                        ? -1
                        : status.observedGeneration,
                status != null && Conditions.isTrue(status.conditions, Conditions.READY),
                status == null ? null : status.lastAppliedRevision,
                source(ks.getSpec().sourceRef, ks.getMetadata().getNamespace()),
                dependencies(
                        Kustomization.KIND,
                        ks.getSpec().dependsOn,
                        ks.getMetadata().getNamespace()),
                Boolean.TRUE.equals(ks.getSpec().suspend),
                deleting(ks),
                finalized(ks),
                DriftPolicy.correcting(IgnoreRules.of(ks.getSpec().ignore)),
                readyExprs(
                        Kustomization.KIND,
                        ks.getSpec().dependsOn,
                        ks.getMetadata().getNamespace()),
                () -> asMap(ks));
    }

    static OwnerView view(HelmRelease release) {
        var status = release.getStatus();
        // no source and no applied revision: helm-controller's dependsOn asks only that a
        // dependency be Ready
        return new OwnerView(
                ref(HelmRelease.KIND, release),
                generation(release),
                status == null || status.observedGeneration == null
                        ? -1
                        : status.observedGeneration,
                status != null && Conditions.isTrue(status.conditions, Conditions.READY),
                null,
                null,
                dependencies(
                        HelmRelease.KIND,
                        release.getSpec().dependsOn,
                        release.getMetadata().getNamespace()),
                Boolean.TRUE.equals(release.getSpec().suspend),
                deleting(release),
                finalized(release),
                DriftPolicy.of(release.getSpec().driftDetection),
                readyExprs(
                        HelmRelease.KIND,
                        release.getSpec().dependsOn,
                        release.getMetadata().getNamespace()),
                () -> asMap(release));
    }

    private static ObjectRef ref(String kind, HasMetadata object) {
        return new ObjectRef(
                kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    private static boolean deleting(HasMetadata object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }

    private static boolean finalized(HasMetadata object) {
        return object.getMetadata().getFinalizers() != null
                && object.getMetadata().getFinalizers().contains(FINALIZER);
    }

    private static long generation(HasMetadata object) {
        return object.getMetadata().getGeneration() == null
                ? 0
                : object.getMetadata().getGeneration();
    }

    private static String source(SourceReference sourceRef, String namespace) {
        if (sourceRef == null) {
            return null;
        }
        return sourceRef.kind
                + "/"
                + (sourceRef.namespace == null || sourceRef.namespace.isEmpty()
                        ? namespace
                        : sourceRef.namespace)
                + "/"
                + sourceRef.name;
    }

    private static Map<ObjectRef, String> readyExprs(
            String kind, List<DependencyReference> dependsOn, String namespace) {
        Map<ObjectRef, String> exprs = new HashMap<>();
        if (dependsOn != null) {
            for (DependencyReference d : dependsOn) {
                if (d.readyExpr != null && !d.readyExpr.isBlank()) {
                    exprs.put(
                            new ObjectRef(
                                    kind,
                                    d.namespace == null || d.namespace.isEmpty()
                                            ? namespace
                                            : d.namespace,
                                    d.name),
                            d.readyExpr);
                }
            }
        }
        return exprs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(HasMetadata object) {
        return Serialization.jsonMapper().convertValue(object, Map.class);
    }

    private static List<ObjectRef> dependencies(
            String kind, List<DependencyReference> dependsOn, String namespace) {
        return dependsOn == null
                ? List.of()
                : dependsOn.stream()
                        .map(
                                d ->
                                        new ObjectRef(
                                                kind,
                                                d.namespace == null || d.namespace.isEmpty()
                                                        ? namespace
                                                        : d.namespace,
                                                d.name))
                        .toList();
    }
}
