package io.sluice.source.git;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.artifact.TreeArchiver;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The story of one GitRepository: fetch the ref, pack the commit's tree into the artifact store,
 * announce a new revision on Kafka (only when it changed), then record the artifact and the Ready
 * condition in status.
 */
@ApplicationScoped
public class GitRepositoryReconciler {
    private static final Logger LOG = Logger.getLogger(GitRepositoryReconciler.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final MutinyEmitter<ArtifactEvent> artifacts;
    private final MutinyEmitter<Alert> alerts;
    private final MeterRegistry metrics;
    private final ObjectStates states;
    private final GitFetcher fetcher;
    private final ArtifactStore store;
    private final TreeArchiver archiver = new TreeArchiver();

    /**
     * The artifact last announced per GitRepository: one whose announcement failed (or that this
     * process has not announced since it started) is announced at the next poll.
     */
    private final Map<ObjectRef, String> announced = new ConcurrentHashMap<>();

    private final SourceConfig config;

    @Inject
    public GitRepositoryReconciler(
            KubernetesClient client,
            @Channel(Topics.ARTIFACTS) MutinyEmitter<ArtifactEvent> artifacts,
            @Channel(Topics.ALERTS) MutinyEmitter<Alert> alerts,
            MeterRegistry metrics,
            ObjectStates states,
            ArtifactStore store,
            SourceConfig config) {
        this.client = client;
        this.artifacts = artifacts;
        this.alerts = alerts;
        this.metrics = metrics;
        this.states = states;
        this.config = config;
        this.fetcher = new GitFetcher(config.dataDir().resolve("git"));
        this.store = store;
    }

    /** Reconciles once; returns when the next poll is due. */
    public Duration reconcile(GitRepository repo) {
        ObjectRef ref =
                new ObjectRef(
                        GitRepository.KIND,
                        repo.getMetadata().getNamespace(),
                        repo.getMetadata().getName());
        Duration interval = GoDuration.parse(repo.getSpec().interval, Duration.ofMinutes(1));
        if (Boolean.TRUE.equals(repo.getSpec().suspend)) {
            states.succeeded(ref, null, Reasons.SUSPENDED, "suspended");
            return interval;
        }
        MDC.put("object", ref.key());
        Timer.Sample timer = Timer.start(metrics);
        try {
            FetchedRevision fetched;
            try (GitAuth auth = auth(repo)) {
                fetched =
                        fetcher.fetch(
                                ref.namespace() + "/" + ref.name(),
                                repo.getSpec().url,
                                repo.getSpec().ref,
                                auth,
                                GoDuration.parse(repo.getSpec().timeout, DEFAULT_TIMEOUT));
            }
            MDC.put("revision", fetched.revision());
            Artifact current = repo.getStatus() == null ? null : repo.getStatus().artifact;
            Artifact artifact = current;
            boolean announce = false;
            String observedIgnore =
                    repo.getStatus() == null ? null : repo.getStatus().observedIgnore;
            if (current == null
                    || !fetched.revision().equals(current.revision)
                    || !store.has(current.digest)
                    || !java.util.Objects.equals(repo.getSpec().ignore, observedIgnore)) {
                StoredArtifact stored =
                        store.store(
                                out ->
                                        archiver.write(
                                                config.dataDir()
                                                        .resolve("git")
                                                        .resolve(
                                                                ref.namespace() + "/" + ref.name()),
                                                fetched.commit(),
                                                repo.getSpec().ignore,
                                                out));
                artifact = artifact(ref, fetched.revision(), stored);
                announce =
                        current == null
                                || !stored.digest().equals(current.digest)
                                || !fetched.revision().equals(current.revision);
            }
            // the status first: a renderer hearing of the artifact reads it from the status
            writeStatus(
                    repo,
                    artifact,
                    true,
                    Reasons.SUCCEEDED,
                    "stored artifact for revision '" + artifact.revision + "'");
            if (announce || !artifact.digest.equals(announced.get(ref))) {
                artifacts.sendMessageAndAwait(
                        Envelopes.of(
                                ref,
                                ArtifactEvent.TYPE,
                                "source-service",
                                ArtifactEvent.stored(
                                        ref,
                                        artifact.revision,
                                        artifact.digest,
                                        artifact.url,
                                        artifact.size)));
                announced.put(ref, artifact.digest);
                LOG.infof(
                        "stored artifact for revision '%s' (%s)",
                        artifact.revision, artifact.digest);
            }
            states.succeeded(
                    ref,
                    artifact.revision,
                    Reasons.SUCCEEDED,
                    "stored artifact for revision '" + artifact.revision + "'");
        } catch (GitFetchException | IOException e) {
            LOG.warnf("%s", e.getMessage());
            boolean wasFailing =
                    repo.getStatus() != null
                            && Conditions.find(repo.getStatus().conditions, Conditions.READY)
                                    .filter(
                                            c ->
                                                    "False".equals(c.getStatus())
                                                            && e.getMessage()
                                                                    .equals(c.getMessage()))
                                    .isPresent();
            writeStatus(
                    repo,
                    repo.getStatus() == null ? null : repo.getStatus().artifact,
                    false,
                    Reasons.GIT_OPERATION_FAILED,
                    e.getMessage());
            states.failed(ref, null, Reasons.GIT_OPERATION_FAILED, e.getMessage());
            if (!wasFailing) {
                alerts.sendMessageAndAwait(
                        Envelopes.of(
                                ref,
                                Alert.TYPE,
                                "source-service",
                                new Alert(
                                        Alert.Severity.error,
                                        Reasons.GIT_OPERATION_FAILED,
                                        e.getMessage(),
                                        ref,
                                        null,
                                        Instant.now())));
            }
        } finally {
            timer.stop(
                    metrics.timer(
                            Metrics.RECONCILE_DURATION,
                            "kind",
                            GitRepository.KIND,
                            "stage",
                            "fetch"));
            MDC.remove("object");
            MDC.remove("revision");
        }
        return interval;
    }

    private Artifact artifact(ObjectRef ref, String revision, StoredArtifact stored) {
        Artifact a = new Artifact();
        a.revision = revision;
        a.digest = stored.digest();
        a.size = stored.size();
        a.path = "gitrepository/" + ref.namespace() + "/" + ref.name() + "/" + stored.fileName();
        a.url = config.artifactBaseUrl() + "/artifacts/" + stored.fileName();
        a.lastUpdateTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return a;
    }

    private void writeStatus(
            GitRepository repo, Artifact artifact, boolean ready, String reason, String message) {
        long generation = repo.getMetadata().getGeneration();
        Map<String, Object> status = new HashMap<>();
        status.put("observedGeneration", generation);
        status.put(
                "conditions",
                Conditions.set(
                        repo.getStatus() == null ? null : repo.getStatus().conditions,
                        Conditions.READY,
                        ready,
                        reason,
                        message,
                        generation));
        if (artifact != null) {
            status.put("artifact", artifact);
        }
        if (ready) {
            // the ignore rules the artifact was built with (null removes the field)
            status.put("observedIgnore", repo.getSpec().ignore);
        }
        String requestedAt =
                repo.getMetadata().getAnnotations() == null
                        ? null
                        : repo.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
        if (requestedAt != null) {
            status.put("lastHandledReconcileAt", requestedAt);
        }
        StatusPatches.merge(
                client,
                GitRepository.class,
                repo.getMetadata().getNamespace(),
                repo.getMetadata().getName(),
                status);
    }

    /** The auth of the GitRepository's secretRef (none without one), as Flux reads the Secret. */
    private GitAuth auth(GitRepository repo) throws GitFetchException {
        if (repo.getSpec().secretRef == null) {
            return GitAuth.none();
        }
        String name = repo.getSpec().secretRef.getName();
        Secret secret =
                client.secrets()
                        .inNamespace(repo.getMetadata().getNamespace())
                        .withName(name)
                        .get();
        if (secret == null) {
            throw new GitFetchException(
                    "secret '" + repo.getMetadata().getNamespace() + "/" + name + "' not found");
        }
        return GitAuth.of(secret, repo.getSpec().url);
    }
}
