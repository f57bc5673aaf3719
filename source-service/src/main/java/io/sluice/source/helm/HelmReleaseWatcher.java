package io.sluice.source.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.source.SourceConfig;
import io.sluice.source.schedule.ReconcileScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;

/** Watches HelmReleases and decides when each one's chart is checked: on creation, a spec change, requestedAt, and every interval. */
@ApplicationScoped
public class HelmReleaseWatcher {
    private final KubernetesClient client;
    private final HelmChartReconciler reconciler;
    private final ReconcileScheduler scheduler;
    private SharedIndexInformer<HelmRelease> informer;

    public HelmReleaseWatcher(KubernetesClient client, HelmChartReconciler reconciler, SourceConfig config) {
        this.client = client;
        this.reconciler = reconciler;
        this.scheduler = new ReconcileScheduler(config.workers(), this::reconcile);
    }

    void start(@Observes StartupEvent event) {
        informer = client.resources(HelmRelease.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(HelmRelease release) {
                scheduler.now(ref(release));
            }

            @Override
            public void onUpdate(HelmRelease before, HelmRelease after) {
                boolean specChanged = !Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration());
                if (specChanged || !Objects.equals(requestedAt(before), requestedAt(after))) {
                    scheduler.now(ref(after));
                }
            }

            @Override
            public void onDelete(HelmRelease release, boolean finalStateUnknown) {
                scheduler.cancel(ref(release));
                reconciler.forget(ref(release));
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        scheduler.close();
        if (informer != null) {
            informer.close();
        }
    }

    private void reconcile(ObjectRef ref) {
        HelmRelease release = informer.getIndexer().getByKey(ref.namespace() + "/" + ref.name());
        if (release != null) {
            scheduler.after(ref, reconciler.reconcile(release));
        }
    }

    private static ObjectRef ref(HelmRelease release) {
        return new ObjectRef(HelmRelease.KIND, release.getMetadata().getNamespace(), release.getMetadata().getName());
    }

    private static String requestedAt(HelmRelease release) {
        return release.getMetadata().getAnnotations() == null ? null : release.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
    }
}
