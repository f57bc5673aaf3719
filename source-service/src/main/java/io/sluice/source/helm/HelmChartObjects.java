package io.sluice.source.helm;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.helm.HelmChartTemplateSpec;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmChartSpec;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.source.artifact.StoredArtifact;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The HelmChart object of a HelmRelease's {@code spec.chart}, written as helm-controller writes it
 * ({@code <releaseNamespace>-<releaseName>} in the chart source's namespace, labelled with the
 * release, the template's spec, interval and metadata) and given the status source-controller gives
 * it ({@code pulled '<chart>' chart with version '<version>'}, the artifact, {@code
 * lastHandledReconcileAt}), so that {@code flux get sources chart} and {@code flux reconcile hr
 * --with-source} work. The chart itself is still fetched by {@link HelmChartReconciler}, keyed by
 * the release. Only a HelmChart Sluice made is changed or deleted: one of that name that
 * helm-controller (or anyone else) made is left as it is, and logged.
 */
final class HelmChartObjects {
    private static final Logger LOG = Logger.getLogger(HelmChartObjects.class);
    private static final String FIELD_MANAGER = "sluice";

    private final KubernetesClient client;

    HelmChartObjects(KubernetesClient client) {
        this.client = client;
    }

    /** The HelmChart of the release's template, created or brought up to date; empty if refused. */
    Optional<HelmChart> apply(HelmRelease release) {
        HelmChartTemplateSpec template = release.getSpec().chart.spec;
        String namespace = namespace(release);
        String name = name(release);
        HelmChart live =
                client.resources(HelmChart.class).inNamespace(namespace).withName(name).get();
        if (live != null && !madeBySluice(live, release)) {
            LOG.warnf(
                    "HelmChart %s/%s exists and was not made by Sluice for %s: left as it is",
                    namespace, name, release.getMetadata().getName());
            return Optional.empty();
        }
        String ref = namespace + "/" + name;
        if (release.getStatus() != null
                && release.getStatus().helmChart != null
                && !ref.equals(release.getStatus().helmChart)) {
            delete(release); // the chart moved (another source namespace): the old one goes
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (release.getSpec().chart.metadata != null) {
            if (release.getSpec().chart.metadata.labels != null) {
                labels.putAll(release.getSpec().chart.metadata.labels);
            }
            if (release.getSpec().chart.metadata.annotations != null) {
                annotations.putAll(release.getSpec().chart.metadata.annotations);
            }
        }
        labels.put(Annotations.HELM_OWNER_NAME_LABEL, release.getMetadata().getName());
        labels.put(Annotations.HELM_OWNER_NAMESPACE_LABEL, release.getMetadata().getNamespace());
        HelmChart chart = new HelmChart();
        chart.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(namespace)
                        .withLabels(labels)
                        .withAnnotations(annotations.isEmpty() ? null : annotations)
                        .build());
        HelmChartSpec spec = new HelmChartSpec();
        spec.chart = template.chart;
        spec.version = template.version;
        spec.sourceRef = new HelmChartSpec.SourceRef();
        spec.sourceRef.kind = template.sourceRef.kind;
        spec.sourceRef.name = template.sourceRef.name;
        spec.interval = template.interval != null ? template.interval : release.getSpec().interval;
        spec.reconcileStrategy = template.reconcileStrategy;
        spec.valuesFiles = template.valuesFiles;
        spec.ignoreMissingValuesFiles = template.ignoreMissingValuesFiles;
        spec.verify = template.verify;
        chart.setSpec(spec);
        HelmChart applied = client.resource(chart).fieldManager(FIELD_MANAGER).serverSideApply();
        if (release.getStatus() == null || !ref.equals(release.getStatus().helmChart)) {
            StatusPatches.merge(
                    client,
                    HelmRelease.class,
                    release.getMetadata().getNamespace(),
                    release.getMetadata().getName(),
                    Map.of("helmChart", ref));
        }
        return Optional.of(applied);
    }

    /** The chart was pulled from its HelmRepository and stored. */
    void pulled(
            HelmChart chart,
            String chartName,
            String version,
            StoredArtifact stored,
            String artifactBaseUrl) {
        var artifact =
                stored.asArtifact(
                        "helmchart/"
                                + chart.getMetadata().getNamespace()
                                + "/"
                                + chart.getMetadata().getName()
                                + "/"
                                + chartName
                                + "-"
                                + version
                                + ".tgz",
                        version,
                        artifactBaseUrl);
        Map<String, Object> status = new HashMap<>();
        status.put("artifact", artifact);
        status.put("url", artifact.url);
        status.put("observedChartName", chartName);
        repositoryRevision(chart).ifPresent(r -> status.put("observedSourceArtifactRevision", r));
        write(
                chart,
                true,
                "ChartPullSucceeded",
                "pulled '" + chartName + "' chart with version '" + version + "'",
                status);
    }

    /** The chart could not be had: Ready=False with source-controller's reason and the cause. */
    void failed(HelmChart chart, String reason, String message) {
        write(chart, false, reason, message, new HashMap<>());
    }

    /**
     * The release no longer has a HelmChart (deleted, or moved to {@code chartRef}): the one it
     * had, if it is still labelled as the release's, is deleted.
     */
    void delete(HelmRelease release) {
        String recorded = release.getStatus() == null ? null : release.getStatus().helmChart;
        if (recorded == null || !recorded.contains("/")) {
            return;
        }
        String namespace = recorded.substring(0, recorded.indexOf('/'));
        String name = recorded.substring(recorded.indexOf('/') + 1);
        HelmChart live =
                client.resources(HelmChart.class).inNamespace(namespace).withName(name).get();
        if (live != null && madeBySluice(live, release)) {
            client.resource(live).delete();
            LOG.infof("deleted HelmChart '%s'", recorded);
        }
        Map<String, Object> none = new HashMap<>();
        none.put("helmChart", null);
        StatusPatches.merge(
                client,
                HelmRelease.class,
                release.getMetadata().getNamespace(),
                release.getMetadata().getName(),
                none);
    }

    /** The release is gone: every HelmChart labelled as its own is deleted. */
    void deleteAll(String releaseNamespace, String releaseName) {
        client
                .resources(HelmChart.class)
                .inAnyNamespace()
                .withLabels(
                        Map.of(
                                Annotations.HELM_OWNER_NAME_LABEL,
                                releaseName,
                                Annotations.HELM_OWNER_NAMESPACE_LABEL,
                                releaseNamespace))
                .list()
                .getItems()
                .stream()
                .filter(HelmChartObjects::appliedBySluice)
                .forEach(
                        chart -> {
                            client.resource(chart).delete();
                            LOG.infof(
                                    "deleted HelmChart '%s/%s'",
                                    chart.getMetadata().getNamespace(),
                                    chart.getMetadata().getName());
                        });
    }

    private void write(
            HelmChart chart,
            boolean ready,
            String reason,
            String message,
            Map<String, Object> status) {
        long generation = chart.getMetadata().getGeneration();
        status.put("observedGeneration", generation);
        List<io.fabric8.kubernetes.api.model.Condition> conditions =
                chart.getStatus() == null ? null : chart.getStatus().conditions;
        status.put(
                "conditions",
                Conditions.set(conditions, Conditions.READY, ready, reason, message, generation));
        // the request as it was when this run began: one made meanwhile is handled by the run
        // it queued
        String requestedAt =
                chart.getMetadata().getAnnotations() == null
                        ? null
                        : chart.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
        if (requestedAt != null) {
            status.put("lastHandledReconcileAt", requestedAt);
        }
        try {
            StatusPatches.merge(
                    client,
                    HelmChart.class,
                    chart.getMetadata().getNamespace(),
                    chart.getMetadata().getName(),
                    status);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot write the status of HelmChart %s: %s",
                    chart.getMetadata().getName(), e.getMessage());
        }
    }

    private Optional<String> repositoryRevision(HelmChart chart) {
        if (!HelmRepository.KIND.equals(chart.getSpec().sourceRef.kind)) {
            return Optional.empty();
        }
        HelmRepository repository =
                client.resources(HelmRepository.class)
                        .inNamespace(chart.getMetadata().getNamespace())
                        .withName(chart.getSpec().sourceRef.name)
                        .get();
        return repository == null
                        || repository.getStatus() == null
                        || repository.getStatus().artifact == null
                ? Optional.empty()
                : Optional.ofNullable(repository.getStatus().artifact.revision);
    }

    /**
     * Labelled for this release and applied by Sluice, never by helm-controller (which puts the
     * same labels on the HelmCharts it makes).
     */
    private static boolean madeBySluice(HelmChart chart, HelmRelease release) {
        Map<String, String> labels = chart.getMetadata().getLabels();
        return appliedBySluice(chart)
                && labels != null
                && release.getMetadata()
                        .getName()
                        .equals(labels.get(Annotations.HELM_OWNER_NAME_LABEL))
                && release.getMetadata()
                        .getNamespace()
                        .equals(labels.get(Annotations.HELM_OWNER_NAMESPACE_LABEL));
    }

    private static boolean appliedBySluice(HelmChart chart) {
        var managers = chart.getMetadata().getManagedFields();
        return managers != null
                && managers.stream().anyMatch(m -> FIELD_MANAGER.equals(m.getManager()))
                && managers.stream().noneMatch(m -> "helm-controller".equals(m.getManager()));
    }

    static String name(HelmRelease release) {
        return release.getMetadata().getNamespace() + "-" + release.getMetadata().getName();
    }

    static String namespace(HelmRelease release) {
        String ns = release.getSpec().chart.spec.sourceRef.namespace;
        return ns == null || ns.isEmpty() ? release.getMetadata().getNamespace() : ns;
    }
}
