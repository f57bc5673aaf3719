package io.sluice.source.helm;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.schedule.ReconcileScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;

/**
 * Watches HelmReleases and decides when each one's chart is checked: on creation, a spec change,
 * requestedAt, when its HelmRepository appears or changes, when its GitRepository (for a chart kept
 * in Git) has a new artifact, and every interval (sooner after a failure).
 */
@ApplicationScoped
public class HelmReleaseWatcher {
    private final KubernetesClient client;
    private final HelmChartReconciler reconciler;
    private final ReconcileScheduler scheduler;
    private SharedIndexInformer<HelmRelease> informer;
    private SharedIndexInformer<HelmRepository> repositories;
    private SharedIndexInformer<GitRepository> gitRepositories;

    public HelmReleaseWatcher(
            KubernetesClient client, HelmChartReconciler reconciler, SourceConfig config) {
        this.client = client;
        this.reconciler = reconciler;
        this.scheduler = new ReconcileScheduler(config.workers(), this::reconcile);
    }

    void start(@Observes StartupEvent event) {
        // the field is set before the informer starts: its first events reconcile through it at
        // once
        informer = client.resources(HelmRelease.class).inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(HelmRelease release) {
                        scheduler.now(ref(release));
                    }

                    @Override
                    public void onUpdate(HelmRelease before, HelmRelease after) {
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
                    public void onDelete(HelmRelease release, boolean finalStateUnknown) {
                        scheduler.cancel(ref(release));
                        reconciler.forget(ref(release));
                    }
                });
        informer.start();
        watchRepositories();
        watchGitRepositories();
    }

    void stop(@Observes ShutdownEvent event) {
        scheduler.close();
        if (informer != null) {
            informer.close();
        }
        if (repositories != null) {
            repositories.close();
        }
        if (gitRepositories != null) {
            gitRepositories.close();
        }
    }

    /**
     * A HelmRepository that appears or changes is checked at once by every release that uses it.
     */
    private void watchRepositories() {
        repositories =
                client.resources(HelmRepository.class)
                        .inAnyNamespace()
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(HelmRepository repository) {
                                        recheckReleasesOf(repository);
                                    }

                                    @Override
                                    public void onUpdate(
                                            HelmRepository before, HelmRepository after) {
                                        if (!Objects.equals(
                                                before.getMetadata().getGeneration(),
                                                after.getMetadata().getGeneration())) {
                                            recheckReleasesOf(after);
                                        }
                                    }

                                    @Override
                                    public void onDelete(
                                            HelmRepository repository, boolean finalStateUnknown) {
                                        recheckReleasesOf(repository);
                                    }
                                });
    }

    /**
     * A GitRepository holding charts: its releases are checked again when its artifact's revision
     * changes.
     */
    private void watchGitRepositories() {
        gitRepositories =
                client.resources(GitRepository.class)
                        .inAnyNamespace()
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(GitRepository repository) {
                                        recheckReleasesOf(
                                                GitRepository.KIND, repository.getMetadata());
                                    }

                                    @Override
                                    public void onUpdate(
                                            GitRepository before, GitRepository after) {
                                        if (!Objects.equals(revision(before), revision(after))) {
                                            recheckReleasesOf(
                                                    GitRepository.KIND, after.getMetadata());
                                        }
                                    }

                                    @Override
                                    public void onDelete(
                                            GitRepository repository, boolean finalStateUnknown) {
                                        recheckReleasesOf(
                                                GitRepository.KIND, repository.getMetadata());
                                    }
                                });
    }

    private static String revision(GitRepository repository) {
        return repository.getStatus() == null || repository.getStatus().artifact == null
                ? null
                : repository.getStatus().artifact.revision;
    }

    private void recheckReleasesOf(HelmRepository repository) {
        recheckReleasesOf(HelmRepository.KIND, repository.getMetadata());
    }

    private void recheckReleasesOf(String kind, ObjectMeta source) {
        informer.getStore().list().stream()
                .filter(release -> uses(release, kind, source))
                .forEach(release -> scheduler.now(ref(release)));
    }

    private static boolean uses(HelmRelease release, String kind, ObjectMeta source) {
        var chart = release.getSpec().chart == null ? null : release.getSpec().chart.spec;
        if (chart == null || chart.sourceRef == null || !kind.equals(chart.sourceRef.kind)) {
            return false;
        }
        String namespace =
                chart.sourceRef.namespace == null || chart.sourceRef.namespace.isEmpty()
                        ? release.getMetadata().getNamespace()
                        : chart.sourceRef.namespace;
        return source.getName().equals(chart.sourceRef.name)
                && source.getNamespace().equals(namespace);
    }

    private void reconcile(ObjectRef ref) {
        HelmRelease release = informer.getIndexer().getByKey(ref.namespace() + "/" + ref.name());
        if (release != null) {
            scheduler.after(ref, reconciler.reconcile(release));
        }
    }

    private static ObjectRef ref(HelmRelease release) {
        return new ObjectRef(
                HelmRelease.KIND,
                release.getMetadata().getNamespace(),
                release.getMetadata().getName());
    }

    private static String requestedAt(HelmRelease release) {
        return release.getMetadata().getAnnotations() == null
                ? null
                : release.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
    }
}
