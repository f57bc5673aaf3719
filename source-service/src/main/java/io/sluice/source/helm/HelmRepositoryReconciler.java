package io.sluice.source.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Sha256;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.HelmRepository;
import io.sluice.source.SourceConfig;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.SourceStatus;
import io.sluice.source.schedule.FetchSpans;
import io.sluice.source.schedule.SourceOwners;
import io.sluice.source.schedule.SourceWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Fetches each HTTP HelmRepository's index.yaml when it appears or changes, when asked ({@code flux
 * reconcile source helm}) and every interval, and stores it as the repository's artifact, as
 * source-controller does: revision {@code sha256:} of the index as served, Ready with {@code stored
 * artifact: revision '…'}, {@code Failed} or {@code IndexationFailed} with the cause ({@code
 * URLInvalid} and Stalled for a URL it can never fetch, {@code AuthenticationFailed} for its
 * Secret). An OCI HelmRepository is static in Flux (no status at all): it is left alone. Charts are
 * resolved by {@link HelmChartReconciler}, against the index as it is then.
 */
@ApplicationScoped
public class HelmRepositoryReconciler {
    private static final Logger LOG = Logger.getLogger(HelmRepositoryReconciler.class);
    private static final Duration RETRY = Duration.ofSeconds(20);

    private final KubernetesClient client;
    private final ArtifactStore store;
    private final SourceStatus status;
    private final SourceConfig config;
    private final SourceWatcher<HelmRepository> watcher;

    public HelmRepositoryReconciler(
            KubernetesClient client,
            SourceOwners owners,
            ArtifactStore store,
            SourceStatus status,
            SourceConfig config,
            Tracer tracer) {
        this.client = client;
        this.store = store;
        this.status = status;
        this.config = config;
        this.watcher =
                new SourceWatcher<>(
                        client,
                        owners,
                        HelmRepository.class,
                        HelmRepository.KIND,
                        config.workers(),
                        FetchSpans.traced(tracer, HelmRepository.KIND, this::reconcile),
                        status::forget);
    }

    /**
     * A failure a later attempt may mend, recorded with the artifact kept; returns when to try
     * again: after {@link #RETRY}, or at the interval when that is sooner.
     */
    private Duration failed(
            HelmRepository repository,
            ObjectRef ref,
            String reason,
            String message,
            Duration interval) {
        var current = repository.getStatus();
        status.failed(
                ref,
                repository,
                current == null ? null : current.conditions,
                current == null ? null : current.artifact,
                reason,
                message);
        return interval.compareTo(RETRY) < 0 ? interval : RETRY;
    }

    /** Why source-controller would refuse the URL, or null. */
    static String urlProblem(String url) {
        if (url != null && url.startsWith("oci://")) {
            return "'oci' URL scheme cannot be used with 'default' HelmRepository type";
        }
        try {
            new java.net.URI(url);
            return null;
        } catch (java.net.URISyntaxException e) {
            // the address may carry a login: never in a status or an alert
            return "parse \"" + ChartRepositoryClient.redacted(url) + "\": " + e.getReason();
        }
    }

    void start(@Observes StartupEvent event) {
        watcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        watcher.close();
    }

    /** Fetches the index once; returns when it is due again. */
    Duration reconcile(HelmRepository repository) {
        Duration interval = GoDuration.parse(repository.getSpec().interval, Duration.ofMinutes(1));
        if (Boolean.TRUE.equals(repository.getSpec().suspend)
                || "oci".equals(repository.getSpec().type)) {
            return interval;
        }
        ObjectRef ref =
                new ObjectRef(
                        HelmRepository.KIND,
                        repository.getMetadata().getNamespace(),
                        repository.getMetadata().getName());
        MDC.put("object", ref.key());
        var current = repository.getStatus();
        Artifact kept = current == null ? null : current.artifact;
        try {
            String invalid = urlProblem(repository.getSpec().url);
            if (invalid != null) {
                // a spec error: Stalled until the spec changes, as source-controller marks it
                status.failed(
                        ref,
                        repository,
                        current == null ? null : current.conditions,
                        kept,
                        "URLInvalid",
                        "invalid Helm repository URL: " + invalid,
                        true);
                return interval;
            }
            Optional<HelmRepositoryLogin> login;
            try {
                login = HelmRepositoryLogin.of(client, repository);
            } catch (ChartNotFoundException e) {
                return failed(repository, ref, "AuthenticationFailed", e.getMessage(), interval);
            }
            byte[] index;
            try {
                index = HelmRepositoryLogin.client(login).indexYaml(repository.getSpec().url);
            } catch (IOException e) {
                return failed(
                        repository,
                        ref,
                        "Failed",
                        "failed to fetch Helm repository index: " + e.getMessage(),
                        interval);
            }
            try {
                ChartIndex.parse(new String(index, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                return failed(
                        repository,
                        ref,
                        "IndexationFailed",
                        "failed to load Helm repository from index YAML: " + e.getMessage(),
                        interval);
            }
            String revision = "sha256:" + Sha256.hex(index);
            Artifact artifact =
                    kept != null
                                    && revision.equals(kept.revision)
                                    && store.adopt(kept, config.artifactBaseUrl())
                            ? kept
                            : store.store(out -> out.write(index))
                                    .asArtifact(
                                            "helmrepository/"
                                                    + ref.namespace()
                                                    + "/"
                                                    + ref.name()
                                                    + "/index-"
                                                    + revision.substring("sha256:".length())
                                                    + ".yaml",
                                            revision,
                                            config.artifactBaseUrl());
            if (artifact != kept) {
                LOG.infof(
                        "stored index of %s at revision %s",
                        ChartRepositoryClient.redacted(repository.getSpec().url), revision);
            }
            status.recorded(
                    ref,
                    repository,
                    current == null ? null : current.conditions,
                    artifact,
                    "stored artifact: revision '" + revision + "'",
                    Map.of("url", artifact.url));
        } catch (IOException e) {
            status.failed(
                    ref,
                    repository,
                    current == null ? null : current.conditions,
                    kept,
                    "StorageOperationFailed",
                    "failed to store the index: " + e.getMessage());
            return RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            MDC.remove("object");
        }
        return interval;
    }
}
