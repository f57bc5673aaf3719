package io.sluice.source.git;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.schedule.ReconcileScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;

/**
 * Watches GitRepositories and decides when each is fetched: on creation, on a spec change, on
 * requestedAt, and every interval.
 */
@ApplicationScoped
public class GitRepositoryWatcher {
    private final KubernetesClient client;
    private final GitRepositoryReconciler reconciler;
    private final ReconcileScheduler scheduler;
    private SharedIndexInformer<GitRepository> informer;

    public GitRepositoryWatcher(
            KubernetesClient client, GitRepositoryReconciler reconciler, SourceConfig config) {
        this.client = client;
        this.reconciler = reconciler;
        this.scheduler = new ReconcileScheduler(config.workers(), this::reconcile);
    }

    void start(@Observes StartupEvent event) {
        // the field is set before the informer starts: its first events reconcile through it at
        // once
        informer = client.resources(GitRepository.class).inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GitRepository repo) {
                        scheduler.now(ref(repo));
                    }

                    @Override
                    public void onUpdate(GitRepository before, GitRepository after) {
                        boolean specChanged =
                                !Objects.equals(
                                        before.getMetadata().getGeneration(),
                                        after.getMetadata().getGeneration());
                        if (specChanged
                                || !Objects.equals(requestedAt(before), requestedAt(after))) {
                            scheduler.now(ref(after));
                        }
                    }

                    @Override
                    public void onDelete(GitRepository repo, boolean finalStateUnknown) {
                        scheduler.cancel(ref(repo));
                    }
                });
        informer.start();
    }

    void stop(@Observes ShutdownEvent event) {
        scheduler.close();
        if (informer != null) {
            informer.close();
        }
    }

    private void reconcile(ObjectRef ref) {
        GitRepository repo = informer.getIndexer().getByKey(ref.namespace() + "/" + ref.name());
        if (repo != null) {
            scheduler.after(ref, reconciler.reconcile(repo));
        }
    }

    private static ObjectRef ref(GitRepository repo) {
        return new ObjectRef(
                GitRepository.KIND,
                repo.getMetadata().getNamespace(),
                repo.getMetadata().getName());
    }

    private static String requestedAt(GitRepository repo) {
        return repo.getMetadata().getAnnotations() == null
                ? null
                : repo.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
    }
}
