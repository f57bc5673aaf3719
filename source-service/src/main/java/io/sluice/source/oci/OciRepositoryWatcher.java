package io.sluice.source.oci;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.SourceStatus;
import io.sluice.source.schedule.FetchSpans;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Pulls every OCIRepository when it appears or changes, and every interval. */
@ApplicationScoped
public class OciRepositoryWatcher {
    private final SourceWatcher<OCIRepository> watcher;

    public OciRepositoryWatcher(
            KubernetesClient client,
            SourceOwners owners,
            OciRepositoryReconciler reconciler,
            SourceStatus status,
            SourceConfig config,
            Tracer tracer) {
        this.watcher =
                new SourceWatcher<>(
                        client,
                        owners,
                        OCIRepository.class,
                        OCIRepository.KIND,
                        config.workers(),
                        FetchSpans.traced(tracer, OCIRepository.KIND, reconciler::reconcile),
                        status::forget);
    }

    void start(@Observes StartupEvent event) {
        watcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        watcher.close();
    }
}
