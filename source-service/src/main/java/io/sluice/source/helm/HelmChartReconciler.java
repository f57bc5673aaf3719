package io.sluice.source.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmChartTemplateSpec;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.HelmChart;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.contracts.source.OCIRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.PeerArtifacts;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.oci.OciChartPuller;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The story of a HelmRelease's chart (what Flux's HelmChart object does): find its HelmRepository,
 * resolve {@code chart.spec.version} against the repository's index, store the chart archive, and
 * announce it keyed by the HelmRelease: whenever the release's spec changes, and at every check
 * (the chart's interval, else the release's), changed or not, since that is the release's
 * level-triggered reconcile (helm-controller reconciles each interval). A chart or version the
 * repository lacks is announced as an {@code ArtifactFailed} failure, once per distinct cause. A
 * chart in a GitRepository is announced as that repository's artifact (render-service takes {@code
 * chart.spec.chart} as the chart's path in it), again at each new Git revision.
 */
@ApplicationScoped
public class HelmChartReconciler {
    private static final Logger LOG = Logger.getLogger(HelmChartReconciler.class);

    /**
     * A failed chart is tried again this soon (or at its interval, if shorter): its repository may
     * just be appearing.
     */
    private static final Duration RETRY = Duration.ofSeconds(20);

    /**
     * How soon a release whose source's artifact is not yet in this source-service's store is
     * looked at again: after a migration from Flux (or a move of the store) the status still names
     * the old store until the source's own reconcile, due at once, stores it here.
     */
    private static final Duration NOT_STORED_HERE_YET = Duration.ofSeconds(2);

    private static final Duration PATIENCE = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final MutinyEmitter<ArtifactEvent> artifacts;
    private final ObjectStates states;
    private final ArtifactStore store;
    private final PeerArtifacts peers;
    private final MeterRegistry metrics;
    private final SourceConfig config;
    private final Ownership ownership;
    private final HelmChartObjects helmCharts;
    private final ChartPuller puller;

    /**
     * What was last announced per release (the generation, requestedAt, revision and digest it was
     * for, or the failure): a failure is announced once, a change logged once.
     */
    private final Map<ObjectRef, String> announced = new ConcurrentHashMap<>();

    /** Releases waiting for their source's artifact to be stored here: which, and since when. */
    private final Map<ObjectRef, String> waitingFor = new ConcurrentHashMap<>();

    private final Map<ObjectRef, Instant> waitingSince = new ConcurrentHashMap<>();

    public HelmChartReconciler(
            KubernetesClient client,
            @Channel(Topics.ARTIFACTS) MutinyEmitter<ArtifactEvent> artifacts,
            ObjectStates states,
            ArtifactStore store,
            PeerArtifacts peers,
            MeterRegistry metrics,
            SourceConfig config,
            Ownership ownership) {
        this.client = client;
        this.ownership = ownership;
        this.artifacts = artifacts;
        this.states = states;
        this.store = store;
        this.peers = peers;
        this.metrics = metrics;
        this.config = config;
        this.helmCharts = new HelmChartObjects(client);
        this.puller = new ChartPuller(client, store);
    }

    /**
     * Reconciles once; returns when the chart is due to be checked again. {@code atInterval}: this
     * is the check at the release's interval, so the chart it announces is the release's resync.
     */
    public Duration reconcile(HelmRelease release, boolean atInterval) {
        ObjectRef ref =
                new ObjectRef(
                        HelmRelease.KIND,
                        release.getMetadata().getNamespace(),
                        release.getMetadata().getName());
        HelmChartTemplateSpec chart =
                release.getSpec().chart == null ? null : release.getSpec().chart.spec;
        Duration interval =
                GoDuration.parse(
                        chart == null ? null : chart.interval,
                        GoDuration.parse(release.getSpec().interval, Duration.ofMinutes(10)));
        if (Boolean.TRUE.equals(release.getSpec().suspend)) {
            states.succeeded(ref, null, Reasons.SUSPENDED, "suspended");
            return interval;
        }
        MDC.put("object", ref.key());
        Timer.Sample timer = Timer.start(metrics);
        try {
            String trigger = release.getMetadata().getGeneration() + "/" + requestedAt(release);
            Optional<HelmChart> helmChart = Optional.empty();
            try {
                if (release.getSpec().chartRef != null) {
                    deleteHelmChart(release);
                    Artifact artifact = chartRefArtifact(release);
                    if (peers.fileOf(artifact).isEmpty()
                            || !store.adopt(artifact, config.artifactBaseUrl())) {
                        return notStoredYet(ref, artifact);
                    }
                    announceSourceArtifact(ref, trigger, atInterval, artifact, "chartRef");
                    return interval;
                }
                if (chart != null
                        && chart.sourceRef != null
                        && GitRepository.KIND.equals(chart.sourceRef.kind)) {
                    deleteHelmChart(release);
                    Artifact artifact = gitArtifact(release, chart);
                    if (peers.fileOf(artifact).isEmpty()
                            || !store.adopt(artifact, config.artifactBaseUrl())) {
                        return notStoredYet(ref, artifact);
                    }
                    announceSourceArtifact(
                            ref, trigger, atInterval, artifact, "chart " + chart.chart);
                    return interval;
                }
                helmChart = helmChartOf(release, chart);
                ChartPuller.Pulled pulled =
                        puller.pull(
                                repository(release, chart),
                                repositoryName(release, chart),
                                chart.chart,
                                chart.version);
                announceChart(
                        ref, trigger, atInterval, pulled.name(), pulled.version(), pulled.stored());
                helmChart.ifPresent(
                        c ->
                                helmCharts.pulled(
                                        c,
                                        pulled.name(),
                                        pulled.version(),
                                        pulled.stored(),
                                        config.artifactBaseUrl()));
            } catch (ChartNotFoundException | OciChartPuller.PullFailed | IOException e) {
                fail(ref, trigger, e.getMessage());
                helmChart.ifPresent(
                        c ->
                                helmCharts.failed(
                                        c,
                                        e instanceof ChartNotFoundException
                                                ? "InvalidChartReference"
                                                : "ChartPullError",
                                        e.getMessage()));
                return interval.compareTo(RETRY) < 0 ? interval : RETRY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            timer.stop(
                    metrics.timer(
                            Metrics.RECONCILE_DURATION,
                            "kind",
                            HelmRelease.KIND,
                            "stage",
                            "chart"));
            MDC.remove("object");
        }
        return interval;
    }

    private void announce(
            ObjectRef ref,
            boolean atInterval,
            String revision,
            String digest,
            String url,
            long size) {
        if (!ownership.owns(ref)) {
            // the release left this replica while its chart was pulled: the new owner announces
            LOG.infof("%s: no longer this replica's, its chart not announced", ref);
            return;
        }
        ArtifactEvent event = ArtifactEvent.stored(ref, revision, digest, url, size);
        artifacts.sendMessageAndAwait(
                Envelopes.of(
                        ref,
                        ArtifactEvent.TYPE,
                        "source-service",
                        atInterval ? event.checkedAtInterval() : event));
    }

    /** A chart pulled from a Helm repository and stored: announced as the release's chart. */
    private void announceChart(
            ObjectRef ref,
            String trigger,
            boolean atInterval,
            String name,
            String version,
            StoredArtifact stored) {
        String key = trigger + "/" + version + "/" + stored.digest();
        announce(
                ref,
                atInterval,
                version,
                stored.digest(),
                ArtifactStore.urlOf(stored.fileName(), config.artifactBaseUrl()),
                stored.size());
        if (!key.equals(announced.put(ref, key))) {
            LOG.infof("stored chart %s@%s (%s)", name, version, stored.digest());
        }
        states.succeeded(ref, version, Reasons.SUCCEEDED, "stored chart " + name + "@" + version);
    }

    /**
     * The source's artifact is not in this replica's store, and could not be fetched from the url
     * its status names (source-controller's before a migration, a replica that died, or a file lost
     * with the store): the reconcile of the source's owner stores it, so looked at again soon, and
     * less often after a minute (a suspended source is not reconciled).
     */
    private Duration notStoredYet(ObjectRef ref, Artifact artifact) {
        Instant since = waitingSince.computeIfAbsent(ref, r -> Instant.now());
        if (waitingFor.put(ref, String.valueOf(artifact.digest)) == null) {
            LOG.infof(
                    "waiting for the source's artifact %s to be stored here (its status names %s)",
                    artifact.digest, artifact.url);
        }
        return Duration.between(since, Instant.now()).compareTo(PATIENCE) < 0
                ? NOT_STORED_HERE_YET
                : RETRY;
    }

    /** A chart in another source's artifact: that artifact, announced as the release's chart. */
    private void announceSourceArtifact(
            ObjectRef ref, String trigger, boolean atInterval, Artifact artifact, String what) {
        waitingFor.remove(ref);
        waitingSince.remove(ref);
        String key = trigger + "/" + artifact.revision + "/" + artifact.digest;
        announce(
                ref,
                atInterval,
                artifact.revision,
                artifact.digest,
                artifact.url,
                artifact.size == null ? 0 : artifact.size);
        if (!key.equals(announced.put(ref, key))) {
            LOG.infof("%s at revision %s", what, artifact.revision);
        }
        states.succeeded(
                ref, artifact.revision, Reasons.SUCCEEDED, what + " at " + artifact.revision);
    }

    /**
     * The artifact of the OCIRepository or HelmChart that {@code spec.chartRef} names (the chart's
     * archive, as helm-controller loads it); helm-controller's words when it cannot be had.
     */
    private Artifact chartRefArtifact(HelmRelease release) throws ChartNotFoundException {
        JsonNode chartRef = release.getSpec().chartRef;
        String kind = chartRef.path("kind").asText();
        String ns = chartRef.path("namespace").asText("");
        String namespace = ns.isEmpty() ? release.getMetadata().getNamespace() : ns;
        String name = chartRef.path("name").asText();
        Object source;
        Artifact artifact;
        if (OCIRepository.KIND.equals(kind)) {
            OCIRepository repository =
                    client.resources(OCIRepository.class)
                            .inNamespace(namespace)
                            .withName(name)
                            .get();
            source = repository;
            artifact =
                    repository == null || repository.getStatus() == null
                            ? null
                            : repository.getStatus().artifact;
        } else if (HelmChart.KIND.equals(kind)) {
            HelmChart chart =
                    client.resources(HelmChart.class).inNamespace(namespace).withName(name).get();
            source = chart;
            artifact =
                    chart == null || chart.getStatus() == null ? null : chart.getStatus().artifact;
        } else {
            throw new ChartNotFoundException(
                    "chartRef kind '"
                            + kind
                            + "' is not supported yet (OCIRepository and HelmChart only)");
        }
        String named = kind + " '" + namespace + "/" + name + "'";
        if (source == null) {
            throw new ChartNotFoundException(
                    "could not get Source object: " + named + " not found");
        }
        if (artifact == null) {
            throw new ChartNotFoundException(named + " is not ready: does not have an artifact");
        }
        return artifact;
    }

    private Artifact gitArtifact(HelmRelease release, HelmChartTemplateSpec chart)
            throws ChartNotFoundException {
        String name = sourceNamespace(release, chart) + "/" + chart.sourceRef.name;
        GitRepository repository =
                client.resources(GitRepository.class)
                        .inNamespace(sourceNamespace(release, chart))
                        .withName(chart.sourceRef.name)
                        .get();
        if (repository == null) {
            throw new ChartNotFoundException("GitRepository " + name + " not found");
        }
        if (repository.getStatus() == null || repository.getStatus().artifact == null) {
            throw new ChartNotFoundException("GitRepository " + name + " has no artifact yet");
        }
        return repository.getStatus().artifact;
    }

    /** Releases whose partition came to this replica: as {@link SourceStatus#onOwnershipChange}. */
    void onOwnershipChange(@Observes OwnershipChange change) {
        announced.keySet().removeIf(change::cameWith);
        waitingFor.keySet().removeIf(change::cameWith);
        waitingSince.keySet().removeIf(change::cameWith);
    }

    /** A deleted release: forgotten, and the HelmChart labelled as its own deleted. */
    public void forget(ObjectRef ref) {
        announced.remove(ref);
        waitingFor.remove(ref);
        waitingSince.remove(ref);
        helmCharts.deleteAll(ref.namespace(), ref.name());
    }

    /** The release's HelmChart, if it has one Sluice made, deleted; a failure only logged. */
    private void deleteHelmChart(HelmRelease release) {
        try {
            helmCharts.delete(release);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot delete HelmChart %s: %s",
                    release.getStatus().helmChart, e.getMessage());
        }
    }

    /**
     * The HelmChart object of a chart from a HelmRepository, written before the chart is fetched
     * (as helm-controller writes it before source-controller fetches); none for a chart in Git,
     * whose version Sluice reads only when rendering.
     */
    private Optional<HelmChart> helmChartOf(HelmRelease release, HelmChartTemplateSpec chart) {
        if (chart == null
                || chart.sourceRef == null
                || !HelmRepository.KIND.equals(chart.sourceRef.kind)) {
            return Optional.empty();
        }
        try {
            return helmCharts.apply(release);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot write HelmChart %s: %s",
                    HelmChartObjects.name(release), e.getMessage());
            return Optional.empty();
        }
    }

    private void fail(ObjectRef ref, String trigger, String message) {
        LOG.warnf("%s", message);
        states.failed(ref, null, Reasons.ARTIFACT_FAILED, message);
        String key = trigger + "/failed/" + message;
        if (!key.equals(announced.get(ref))) {
            artifacts.sendMessageAndAwait(
                    Envelopes.of(
                            ref,
                            ArtifactEvent.TYPE,
                            "source-service",
                            ArtifactEvent.failed(
                                    ref, new Failure(Reasons.ARTIFACT_FAILED, message))));
            announced.put(ref, key);
        }
    }

    private HelmRepository repository(HelmRelease release, HelmChartTemplateSpec chart)
            throws ChartNotFoundException {
        if (chart == null || chart.chart == null) {
            throw new ChartNotFoundException("either chart or chartRef must be set");
        }
        var sourceRef = chart.sourceRef;
        if (sourceRef == null || !HelmRepository.KIND.equals(sourceRef.kind)) {
            throw new ChartNotFoundException(
                    "chart source kind '"
                            + (sourceRef == null ? null : sourceRef.kind)
                            + "' is not supported yet (HelmRepository and GitRepository only)");
        }
        HelmRepository repository =
                client.resources(HelmRepository.class)
                        .inNamespace(sourceNamespace(release, chart))
                        .withName(sourceRef.name)
                        .get();
        if (repository == null) {
            throw new ChartNotFoundException(
                    "HelmRepository " + repositoryName(release, chart) + " not found");
        }
        return repository;
    }

    private static String sourceNamespace(HelmRelease release, HelmChartTemplateSpec chart) {
        String ns = chart.sourceRef.namespace;
        return ns == null || ns.isEmpty() ? release.getMetadata().getNamespace() : ns;
    }

    private static String repositoryName(HelmRelease release, HelmChartTemplateSpec chart) {
        return sourceNamespace(release, chart) + "/" + chart.sourceRef.name;
    }

    private static String requestedAt(HelmRelease release) {
        Map<String, String> annotations = release.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REQUESTED_AT);
    }
}
