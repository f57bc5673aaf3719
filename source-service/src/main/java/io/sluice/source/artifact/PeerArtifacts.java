package io.sluice.source.artifact;

import io.sluice.contracts.source.Artifact;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Another source's artifact where this replica needs its file (a HelmRelease's chart in a
 * GitRepository or behind a {@code chartRef}, a GitRepository's include): the replica that owns
 * that source stored it, so when this store lacks it, it is fetched from the url the source's
 * status names and stored here, kept only if its digest is the one the status names.
 */
@ApplicationScoped
public class PeerArtifacts {
    private static final Logger LOG = Logger.getLogger(PeerArtifacts.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final ArtifactStore store;

    public PeerArtifacts(ArtifactStore store) {
        this.store = store;
    }

    /** The artifact's file in this store, fetched first if need be; empty when it cannot be. */
    public Optional<Path> fileOf(Artifact artifact) {
        if (artifact == null || !ArtifactStore.isDigest(artifact.digest)) {
            return Optional.empty();
        }
        if (!store.has(artifact.digest) && artifact.url != null) {
            fetch(artifact);
        }
        return store.file(ArtifactStore.fileNameOf(artifact.digest));
    }

    private void fetch(Artifact artifact) {
        try {
            HttpResponse<InputStream> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(artifact.url))
                                    .timeout(TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    LOG.debugf("%s answered %d", artifact.url, response.statusCode());
                    return;
                }
                StoredArtifact stored = store.store(body::transferTo);
                if (!stored.digest().equals(artifact.digest)) {
                    // left for the collector: no status names it
                    LOG.warnf(
                            "%s held %s, not the %s its source's status names",
                            artifact.url, stored.digest(), artifact.digest);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("%s not fetched: %s", artifact.url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
