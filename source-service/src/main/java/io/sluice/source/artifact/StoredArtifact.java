package io.sluice.source.artifact;

import io.sluice.contracts.source.Artifact;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A file in the {@link ArtifactStore}: its digest, its name there, its size. */
public record StoredArtifact(String digest, String fileName, long size) {

    /**
     * This file as a source's {@code status.artifact}: {@code path} as Flux names it under its
     * storage ({@code <kind>/<namespace>/<name>/<file>}), {@code url} where render-service fetches
     * it.
     */
    public Artifact asArtifact(String path, String revision, String artifactBaseUrl) {
        Artifact artifact = new Artifact();
        artifact.revision = revision;
        artifact.digest = digest;
        artifact.size = size;
        artifact.path = path;
        artifact.url = ArtifactStore.urlOf(fileName, artifactBaseUrl);
        artifact.lastUpdateTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return artifact;
    }
}
