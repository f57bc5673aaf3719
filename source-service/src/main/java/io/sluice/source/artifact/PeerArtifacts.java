package io.sluice.source.artifact;

import io.sluice.contracts.source.Artifact;
import io.sluice.source.SourceConfig;
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
 * An artifact this replica lacks, fetched from the replica that stored it, at the url its source's
 * status names, and kept here under its digest (content that does not match it is served under no
 * name it is asked for): for another source's artifact that a source here needs (a HelmRelease's
 * chart in a GitRepository or behind a {@code chartRef}, a GitRepository's include), and for any
 * artifact asked of this replica over HTTP. A replica asks another with {@link #PEER_HEADER}, and
 * the one asked answers from its own store only, so two replicas that both lack a file never ask
 * each other in a loop.
 */
@ApplicationScoped
public class PeerArtifacts {
    private static final Logger LOG = Logger.getLogger(PeerArtifacts.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Marks a request from another replica: answered from the store only. */
    public static final String PEER_HEADER = "Sluice-Peer";

    private final ArtifactStore store;
    private final NamedArtifacts named;
    private final String ownBaseUrl;

    public PeerArtifacts(ArtifactStore store, NamedArtifacts named, SourceConfig config) {
        this.store = store;
        this.named = named;
        this.ownBaseUrl = ArtifactStore.urlOf("", config.artifactBaseUrl());
    }

    /**
     * The stored file of that name ({@code <sha256>.tar.gz}), fetched first from the replica that a
     * source's status names for it when this store lacks it; empty when no status names it, or the
     * replica named there does not have it (it died, and the source's new owner has not stored it
     * again yet) or cannot be reached.
     */
    public Optional<Path> file(String fileName) {
        Optional<Path> here = store.file(fileName);
        if (here.isPresent()) {
            return here;
        }
        if (!ArtifactStore.isStoredName(fileName)) {
            return Optional.empty();
        }
        Artifact holder = named.byDigest().get(ArtifactStore.digestOf(fileName));
        if (holder == null || holder.url == null || holder.url.startsWith(ownBaseUrl)) {
            return Optional.empty();
        }
        fetch(holder);
        return store.file(fileName);
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
                                    .header(PEER_HEADER, "true")
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
