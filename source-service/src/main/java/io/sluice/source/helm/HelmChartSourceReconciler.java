package io.sluice.source.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.oci.OciChartPuller;
import io.sluice.source.schedule.FetchSpans;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * HelmChart objects that users write (a HelmRelease's {@code chartRef} may name one), reconciled as
 * source-controller reconciles them: the chart pulled from the HelmRepository of {@code sourceRef}
 * (HTTP or OCI, in the chart's namespace) and stored, its archive the HelmChart's {@code
 * status.artifact}; on creation, a spec change, {@code requestedAt}, a new index of the repository,
 * and every interval (20 s after a failure), unless suspended. The HelmCharts Sluice writes for a
 * HelmRelease's {@code spec.chart} (labelled as the release's) are the release's to pull, not this
 * one's.
 */
@ApplicationScoped
public class HelmChartSourceReconciler {
    private static final Logger LOG = Logger.getLogger(HelmChartSourceReconciler.class);
    private static final Duration RETRY = Duration.ofSeconds(20);

    private final KubernetesClient client;
    private final SourceConfig config;
    private final Tracer tracer;
    private final HelmChartObjects helmCharts;
    private final ChartPuller puller;
    private final SourceOwners owners;
    private SourceWatcher<HelmChart> charts;

    public HelmChartSourceReconciler(
            KubernetesClient client,
            SourceOwners owners,
            ArtifactStore store,
            SourceConfig config,
            Tracer tracer) {
        this.client = client;
        this.owners = owners;
        this.config = config;
        this.tracer = tracer;
        this.helmCharts = new HelmChartObjects(client);
        this.puller = new ChartPuller(client, store);
    }

    void start(@Observes StartupEvent event) {
        charts =
                new SourceWatcher<>(
                        client,
                        owners,
                        HelmChart.class,
                        HelmChart.KIND,
                        config.workers(),
                        FetchSpans.traced(tracer, HelmChart.KIND, this::reconcile),
                        ref -> {});
        charts.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (charts != null) {
            charts.close();
        }
    }

    /**
     * The charts of {@code repository} are checked at once (it appeared, changed or has a new
     * index).
     */
    void recheckChartsOf(HelmRepository repository) {
        if (charts != null) {
            charts.recheck(
                    chart ->
                            chart.getMetadata()
                                            .getNamespace()
                                            .equals(repository.getMetadata().getNamespace())
                                    && chart.getSpec().sourceRef != null
                                    && HelmRepository.KIND.equals(chart.getSpec().sourceRef.kind)
                                    && repository
                                            .getMetadata()
                                            .getName()
                                            .equals(chart.getSpec().sourceRef.name));
        }
    }

    /** Reconciles once; returns when the chart is due to be checked again. */
    Duration reconcile(HelmChart chart) {
        Duration interval = GoDuration.parse(chart.getSpec().interval, Duration.ofMinutes(10));
        if (ownedByRelease(chart) || Boolean.TRUE.equals(chart.getSpec().suspend)) {
            return interval;
        }
        String namespace = chart.getMetadata().getNamespace();
        MDC.put("object", HelmChart.KIND + "/" + namespace + "/" + chart.getMetadata().getName());
        try {
            var sourceRef = chart.getSpec().sourceRef;
            String kind = sourceRef == null ? null : sourceRef.kind;
            if (!HelmRepository.KIND.equals(kind)) {
                return failed(
                        chart,
                        "SourceUnavailable",
                        "failed to get source: source kind '"
                                + kind
                                + "' is not supported yet (HelmRepository only)",
                        interval);
            }
            HelmRepository repository =
                    client.resources(HelmRepository.class)
                            .inNamespace(namespace)
                            .withName(sourceRef.name)
                            .get();
            if (repository == null) {
                return failed(
                        chart,
                        "SourceUnavailable",
                        "failed to get source: helmrepositories.source.toolkit.fluxcd.io \""
                                + sourceRef.name
                                + "\" not found",
                        interval);
            }
            ChartPuller.Pulled pulled =
                    puller.pull(
                            repository,
                            namespace + "/" + sourceRef.name,
                            chart.getSpec().chart,
                            chart.getSpec().version);
            helmCharts.pulled(
                    chart,
                    pulled.name(),
                    pulled.version(),
                    pulled.stored(),
                    config.artifactBaseUrl());
            LOG.infof(
                    "pulled chart %s@%s (%s)",
                    pulled.name(), pulled.version(), pulled.stored().digest());
            return interval;
        } catch (ChartNotFoundException e) {
            return failed(chart, "InvalidChartReference", e.getMessage(), interval);
        } catch (OciChartPuller.PullFailed | IOException e) {
            return failed(chart, "ChartPullError", e.getMessage(), interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interval;
        } finally {
            MDC.remove("object");
        }
    }

    private Duration failed(HelmChart chart, String reason, String message, Duration interval) {
        LOG.warnf("%s", message);
        helmCharts.failed(chart, reason, message);
        return interval.compareTo(RETRY) < 0 ? interval : RETRY;
    }

    private static boolean ownedByRelease(HelmChart chart) {
        Map<String, String> labels = chart.getMetadata().getLabels();
        return labels != null && labels.containsKey(Annotations.HELM_OWNER_NAME_LABEL);
    }
}
