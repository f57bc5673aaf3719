package io.sluice.source.git;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.source.GitRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.SourceStatus;
import io.sluice.source.schedule.FetchSpans;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Fetches every GitRepository when it appears or changes, and every interval. */
@ApplicationScoped
public class GitRepositoryWatcher {
    private final SourceWatcher<GitRepository> watcher;

    public GitRepositoryWatcher(
            KubernetesClient client,
            SourceOwners owners,
            GitRepositoryReconciler reconciler,
            SourceStatus status,
            SourceConfig config,
            Tracer tracer) {
        this.watcher =
                new SourceWatcher<>(
                        client,
                        owners,
                        GitRepository.class,
                        GitRepository.KIND,
                        config.workers(),
                        FetchSpans.traced(tracer, GitRepository.KIND, reconciler::reconcile),
                        status::forget);
    }

    void start(@Observes StartupEvent event) {
        watcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        watcher.close();
    }
}
