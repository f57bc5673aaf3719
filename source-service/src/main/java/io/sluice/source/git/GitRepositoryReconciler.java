package io.sluice.source.git;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArchiveComposer;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.PeerArtifacts;
import io.sluice.source.artifact.SourceStatus;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.artifact.TreeArchiver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The story of one GitRepository: fetch the ref, pack the commit's tree into the artifact store,
 * announce a new revision on Kafka (only when it changed), then record the artifact and the Ready
 * condition in status.
 */
@ApplicationScoped
public class GitRepositoryReconciler {
    private static final String GITHUB_APP_DATA_REQUIRED =
            "secretRef with github app data must be specified when provider is set to github";
    private static final Logger LOG = Logger.getLogger(GitRepositoryReconciler.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final String INCLUDE_UNAVAILABLE = "IncludeUnavailable";

    /**
     * How soon an include that is not there yet is looked for again: sooner than Flux's 30 s
     * ({@code --requeue-dependency}), as the included source's first artifact is seconds away.
     */
    private static final Duration REQUEUE_DEPENDENCY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final SourceStatus status;
    private final MeterRegistry metrics;
    private final ObjectStates states;
    private final GitFetcher fetcher;
    private final ArtifactStore store;
    private final PeerArtifacts peers;
    private final TreeArchiver archiver = new TreeArchiver();
    private final GitSubmodules submodules;

    private final SourceConfig config;

    @Inject
    public GitRepositoryReconciler(
            KubernetesClient client,
            SourceStatus status,
            MeterRegistry metrics,
            ObjectStates states,
            ArtifactStore store,
            PeerArtifacts peers,
            SourceConfig config) {
        this.client = client;
        this.status = status;
        this.metrics = metrics;
        this.states = states;
        this.config = config;
        this.fetcher = new GitFetcher(config.dataDir().resolve("git"));
        this.submodules = new GitSubmodules(fetcher, archiver);
        this.store = store;
        this.peers = peers;
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
            Path mirror =
                    config.dataDir().resolve("git").resolve(ref.namespace() + "/" + ref.name());
            List<Condition> conditions = conditions(repo);
            Map<String, Object> observed = new HashMap<>();
            long generation = repo.getMetadata().getGeneration();
            Optional<String> mode = GitVerification.mode(repo);
            if (mode.isPresent()) {
                // as source-controller: no artifact of a revision whose signature is not accepted
                try {
                    String verified = GitVerification.check(client, repo, mirror, fetched);
                    conditions =
                            Conditions.set(
                                    conditions,
                                    GitVerification.CONDITION,
                                    true,
                                    Reasons.SUCCEEDED,
                                    verified,
                                    generation);
                    observed.put("sourceVerificationMode", mode.get());
                } catch (GitVerification.Refused e) {
                    LOG.warnf("%s", e.getMessage());
                    status.failed(
                            ref,
                            repo,
                            Conditions.set(
                                    conditions,
                                    GitVerification.CONDITION,
                                    false,
                                    e.reason(),
                                    e.getMessage(),
                                    generation),
                            repo.getStatus() == null ? null : repo.getStatus().artifact,
                            e.reason(),
                            e.getMessage());
                    return interval;
                }
            } else {
                conditions = Conditions.remove(conditions, GitVerification.CONDITION);
                observed.put("sourceVerificationMode", null);
            }
            GitIncludes.Resolved includes;
            try {
                includes = GitIncludes.resolve(client, repo, peers);
            } catch (GitIncludes.Unavailable e) {
                // as source-controller: the artifact waits for every include
                LOG.warnf("%s", e.getMessage());
                status.failed(
                        ref,
                        repo,
                        Conditions.set(
                                conditions,
                                INCLUDE_UNAVAILABLE,
                                true,
                                e.reason(),
                                e.getMessage(),
                                generation),
                        repo.getStatus() == null ? null : repo.getStatus().artifact,
                        e.reason(),
                        e.getMessage());
                return REQUEUE_DEPENDENCY;
            }
            conditions = Conditions.remove(conditions, INCLUDE_UNAVAILABLE);
            Artifact current = repo.getStatus() == null ? null : repo.getStatus().artifact;
            boolean recurse = Boolean.TRUE.equals(repo.getSpec().recurseSubmodules);
            Artifact artifact = current;
            List<String> changedPaths = null;
            String observedIgnore =
                    repo.getStatus() == null ? null : repo.getStatus().observedIgnore;
            if (current == null
                    || !fetched.revision().equals(current.revision)
                    || !store.adopt(current, config.artifactBaseUrl())
                    || !java.util.Objects.equals(repo.getSpec().ignore, observedIgnore)
                    || includes.differFrom(repo.getStatus().includedArtifacts)
                    || !Serialization.jsonMapper()
                            .valueToTree(repo.getSpec().include)
                            .equals(
                                    Serialization.jsonMapper()
                                            .valueToTree(repo.getStatus().observedInclude))
                    || recurse != Boolean.TRUE.equals(repo.getStatus().observedRecurseSubmodules)) {
                artifact =
                        artifact(ref, fetched.revision(), build(repo, mirror, fetched, includes));
                changedPaths =
                        ChangedPaths.between(
                                mirror,
                                current == null ? null : current.revision,
                                fetched.commit());
            }
            // the ignore rules the artifact was built with (null removes the field)
            observed.put("observedIgnore", repo.getSpec().ignore);
            observed.put(
                    "includedArtifacts",
                    includes.artifacts().isEmpty() ? null : includes.artifacts());
            observed.put("observedInclude", repo.getSpec().include);
            observed.put("observedRecurseSubmodules", recurse);
            if (status.stored(
                    ref,
                    repo,
                    conditions,
                    artifact,
                    "stored artifact for revision '" + artifact.revision + "'",
                    observed,
                    changedPaths)) {
                LOG.infof(
                        "stored artifact for revision '%s' (%s)",
                        artifact.revision, artifact.digest);
            }
        } catch (GitFetchException | IOException e) {
            LOG.warnf("%s", e.getMessage());
            status.failed(
                    ref,
                    repo,
                    conditions(repo),
                    repo.getStatus() == null ? null : repo.getStatus().artifact,
                    e instanceof GitFetchException fetch
                            ? fetch.reason()
                            : Reasons.GIT_OPERATION_FAILED,
                    e.getMessage());
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

    /**
     * Archives the commit with its includes and, with {@code recurseSubmodules}, its submodules
     * (fetched with the repository's own credentials, as Flux does).
     */
    private StoredArtifact build(
            GitRepository repo, Path mirror, FetchedRevision fetched, GitIncludes.Resolved includes)
            throws IOException, GitFetchException {
        List<ArchiveComposer.Addition> additions = new ArrayList<>(includes.additions());
        Path work = Files.createTempDirectory("git-artifact-");
        try {
            if (Boolean.TRUE.equals(repo.getSpec().recurseSubmodules)) {
                try (GitAuth auth = auth(repo)) {
                    additions.addAll(
                            submodules.archives(
                                    mirror,
                                    fetched.commit(),
                                    repo.getSpec().url,
                                    repo.getMetadata().getNamespace()
                                            + "/"
                                            + repo.getMetadata().getName(),
                                    auth,
                                    GoDuration.parse(repo.getSpec().timeout, DEFAULT_TIMEOUT),
                                    work));
                }
            }
            return store.store(
                    out ->
                            archiver.write(
                                    mirror,
                                    fetched.commit(),
                                    repo.getSpec().ignore,
                                    additions,
                                    out));
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Artifact artifact(ObjectRef ref, String revision, StoredArtifact stored) {
        return stored.asArtifact(
                "gitrepository/" + ref.namespace() + "/" + ref.name() + "/" + stored.fileName(),
                revision,
                config.artifactBaseUrl());
    }

    private static List<Condition> conditions(GitRepository repo) {
        return repo.getStatus() == null ? null : repo.getStatus().conditions;
    }

    /**
     * The auth of the GitRepository's secretRef (none without one), as Flux reads the Secret: with
     * {@code provider: github}, a GitHub App's installation token.
     */
    private GitAuth auth(GitRepository repo) throws GitFetchException {
        // the proxy first, as source-controller reads them
        var proxy = GitProxy.of(client, repo);
        return credentials(repo).through(proxy);
    }

    private GitAuth credentials(GitRepository repo) throws GitFetchException {
        boolean github = "github".equals(repo.getSpec().provider);
        if (repo.getSpec().secretRef == null) {
            if (github) {
                throw GitFetchException.withReason(
                        Reasons.INVALID_PROVIDER_CONFIGURATION, GITHUB_APP_DATA_REQUIRED);
            }
            return GitAuth.none();
        }
        String name = repo.getSpec().secretRef.getName();
        String namespace = repo.getMetadata().getNamespace();
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            throw GitFetchException.withReason(
                    Reasons.AUTHENTICATION_FAILED,
                    "failed to get secret '"
                            + namespace
                            + "/"
                            + name
                            + "': secrets \""
                            + name
                            + "\" not found");
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (github) {
            if (!GitHubApp.hasAppData(data)) {
                throw GitFetchException.withReason(
                        Reasons.INVALID_PROVIDER_CONFIGURATION, GITHUB_APP_DATA_REQUIRED);
            }
            return GitAuth.basic(GitHubApp.USERNAME, GitHubApp.token(data));
        }
        if (GitHubApp.hasAppData(data)) {
            throw GitFetchException.withReason(
                    Reasons.INVALID_PROVIDER_CONFIGURATION,
                    "secretRef '"
                            + namespace
                            + "/"
                            + name
                            + "' has github app data but provider is not set to github");
        }
        return GitAuth.of(secret, repo.getSpec().url);
    }
}
