package io.sluice.source.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.schedule.FetchSpans;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Watches HelmReleases and decides when each one's chart is checked: on creation, a spec change,
 * requestedAt, when its HelmRepository appears, changes or stores a new index, when its
 * GitRepository (for a chart kept in Git) has a new artifact, when its HelmChart object is asked to
 * reconcile ({@code flux reconcile source chart}, {@code flux reconcile hr --with-source}), when
 * the OCIRepository or HelmChart its {@code chartRef} names has a new artifact, and every interval
 * (sooner after a failure). A HelmRepository that changes is also rechecked by the HelmCharts users
 * wrote for it.
 */
@ApplicationScoped
public class HelmReleaseWatcher {
    private final KubernetesClient client;
    private final SourceOwners owners;
    private final HelmChartReconciler reconciler;
    private final HelmChartSourceReconciler charts;
    private final SourceConfig config;
    private SourceWatcher<HelmRelease> releases;
    private SharedIndexInformer<HelmRepository> repositories;
    private SharedIndexInformer<GitRepository> gitRepositories;
    private SharedIndexInformer<OCIRepository> ociRepositories;
    private SharedIndexInformer<HelmChart> helmCharts;
    private final Tracer tracer;

    public HelmReleaseWatcher(
            KubernetesClient client,
            SourceOwners owners,
            HelmChartReconciler reconciler,
            HelmChartSourceReconciler charts,
            SourceConfig config,
            Tracer tracer) {
        this.client = client;
        this.owners = owners;
        this.charts = charts;
        this.tracer = tracer;
        this.reconciler = reconciler;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        releases =
                new SourceWatcher<>(
                        client,
                        owners,
                        HelmRelease.class,
                        HelmRelease.KIND,
                        config.workers(),
                        FetchSpans.traced(tracer, HelmRelease.KIND, reconciler::reconcile),
                        reconciler::forget);
        releases.start();
        watchRepositories();
        gitRepositories =
                watchArtifacts(
                        GitRepository.class,
                        GitRepository.KIND,
                        r -> r.getStatus() == null ? null : r.getStatus().artifact);
        ociRepositories =
                watchArtifacts(
                        OCIRepository.class,
                        OCIRepository.KIND,
                        r -> r.getStatus() == null ? null : r.getStatus().artifact);
        watchHelmCharts();
    }

    void stop(@Observes ShutdownEvent event) {
        if (releases != null) {
            releases.close();
        }
        if (repositories != null) {
            repositories.close();
        }
        if (gitRepositories != null) {
            gitRepositories.close();
        }
        if (ociRepositories != null) {
            ociRepositories.close();
        }
        if (helmCharts != null) {
            helmCharts.close();
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
                                        // a new index (its artifact's revision) may hold a
                                        // newer chart in a release's range
                                        if (!Objects.equals(
                                                        before.getMetadata().getGeneration(),
                                                        after.getMetadata().getGeneration())
                                                || !Objects.equals(
                                                        indexRevision(before),
                                                        indexRevision(after))) {
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
     * A HelmChart asked to reconcile has its release's chart checked at once; one with a new
     * artifact, the releases whose {@code chartRef} names it.
     */
    private void watchHelmCharts() {
        helmCharts =
                client.resources(HelmChart.class)
                        .inAnyNamespace()
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(HelmChart chart) {
                                        recheckReleasesOf(HelmChart.KIND, chart.getMetadata());
                                    }

                                    @Override
                                    public void onUpdate(HelmChart before, HelmChart after) {
                                        if (!Objects.equals(
                                                artifactRevision(before),
                                                artifactRevision(after))) {
                                            recheckReleasesOf(HelmChart.KIND, after.getMetadata());
                                        }
                                        if (!Objects.equals(
                                                requestedAt(before), requestedAt(after))) {
                                            Map<String, String> labels =
                                                    after.getMetadata().getLabels();
                                            String name =
                                                    labels == null
                                                            ? null
                                                            : labels.get(
                                                                    Annotations
                                                                            .HELM_OWNER_NAME_LABEL);
                                            String namespace =
                                                    labels == null
                                                            ? null
                                                            : labels.get(
                                                                    Annotations
                                                                            .HELM_OWNER_NAMESPACE_LABEL);
                                            releases.recheck(
                                                    r ->
                                                            r.getMetadata().getName().equals(name)
                                                                    && r.getMetadata()
                                                                            .getNamespace()
                                                                            .equals(namespace));
                                        }
                                    }

                                    @Override
                                    public void onDelete(HelmChart chart, boolean unknown) {
                                        recheckReleasesOf(HelmChart.KIND, chart.getMetadata());
                                    }
                                });
    }

    private static String artifactRevision(HelmChart chart) {
        return chart.getStatus() == null || chart.getStatus().artifact == null
                ? null
                : chart.getStatus().artifact.revision;
    }

    private static String indexRevision(HelmRepository repository) {
        return repository.getStatus() == null || repository.getStatus().artifact == null
                ? null
                : repository.getStatus().artifact.revision;
    }

    private static String requestedAt(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REQUESTED_AT);
    }

    /** A source of charts whose releases are checked again when its artifact's revision changes. */
    private <T extends HasMetadata> SharedIndexInformer<T> watchArtifacts(
            Class<T> type, String kind, Function<T, Artifact> artifact) {
        Function<T, String> revision =
                source -> {
                    Artifact a = artifact.apply(source);
                    return a == null ? null : a.revision;
                };
        return client.resources(type)
                .inAnyNamespace()
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(T source) {
                                recheckReleasesOf(kind, source.getMetadata());
                            }

                            @Override
                            public void onUpdate(T before, T after) {
                                if (!Objects.equals(
                                        revision.apply(before), revision.apply(after))) {
                                    recheckReleasesOf(kind, after.getMetadata());
                                }
                            }

                            @Override
                            public void onDelete(T source, boolean finalStateUnknown) {
                                recheckReleasesOf(kind, source.getMetadata());
                            }
                        });
    }

    private void recheckReleasesOf(HelmRepository repository) {
        recheckReleasesOf(HelmRepository.KIND, repository.getMetadata());
        charts.recheckChartsOf(repository);
    }

    private void recheckReleasesOf(String kind, ObjectMeta source) {
        releases.recheck(release -> uses(release, kind, source));
    }

    private static boolean uses(HelmRelease release, String kind, ObjectMeta source) {
        var chartRef = release.getSpec().chartRef;
        if (chartRef != null) {
            String ns = chartRef.path("namespace").asText("");
            return kind.equals(chartRef.path("kind").asText())
                    && source.getName().equals(chartRef.path("name").asText())
                    && source.getNamespace()
                            .equals(ns.isEmpty() ? release.getMetadata().getNamespace() : ns);
        }
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
}
