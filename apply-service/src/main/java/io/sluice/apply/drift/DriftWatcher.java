package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.meta.Annotations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Watches every kind Sluice has applied (informers on objects carrying a Kustomization's or a
 * HelmRelease's ownership label, not polling) and hands each changed or deleted object to the
 * {@link DriftCorrector}. Changes to status or server bookkeeping only are not drift and are not
 * checked.
 */
@ApplicationScoped
public class DriftWatcher {
    private static final Logger LOG = Logger.getLogger(DriftWatcher.class);
    private final KubernetesClient client;
    private final DriftCorrector corrector;
    private final DesiredState desired;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers =
            new CopyOnWriteArrayList<>();
    private final ExecutorService checks =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "drift"));

    public DriftWatcher(KubernetesClient client, DriftCorrector corrector, DesiredState desired) {
        this.client = client;
        this.corrector = corrector;
        this.desired = desired;
    }

    void start(@Observes StartupEvent event) {
        desired.onNewKind(this::watch);
    }

    void stop(@Observes ShutdownEvent event) {
        informers.forEach(SharedIndexInformer::close);
        checks.shutdownNow();
    }

    private void watch(GenericKubernetesResource example) {
        for (String label :
                List.of(Annotations.OWNER_NAME_LABEL, Annotations.HELM_OWNER_NAME_LABEL)) {
            DigestStore store = new DigestStore();
            try {
                informers.add(
                        client.genericKubernetesResources(
                                        example.getApiVersion(), example.getKind())
                                .inAnyNamespace()
                                .withLabel(label)
                                .runnableInformer(0)
                                .itemStore(store)
                                .addEventHandler(handler(store))
                                .run());
            } catch (RuntimeException e) {
                desired.notWatched(example);
                LOG.warnf(
                        "cannot watch %s %s for drift: %s",
                        example.getApiVersion(), example.getKind(), e.getMessage());
            }
        }
        LOG.infof("watching %s %s for drift", example.getApiVersion(), example.getKind());
    }

    private ResourceEventHandler<GenericKubernetesResource> handler(DigestStore store) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                // the initial list, or a creation (Sluice's own): neither is drift
            }

            @Override
            public void onUpdate(
                    GenericKubernetesResource before, GenericKubernetesResource after) {
                if (store.changed(before, after)) {
                    String id = ObjectId.of(after).id();
                    checks.execute(() -> corrector.check(id));
                }
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                String id = ObjectId.of(object).id();
                checks.execute(() -> corrector.check(id));
            }
        };
    }
}
