package io.sluice.contracts.events;

/**
 * source-service stored a new artifact for a source, or could not get one. For a GitRepository it
 * is emitted only when the revision or digest changes; for a HelmRelease (whose chart
 * source-service fetches) also when the release's spec changes, so values changes are rendered.
 * {@code failure} is set, and the rest empty, when the artifact could not be had (a chart or
 * version the repository does not have, an unreachable repository).
 */
public record ArtifactEvent(
        ObjectRef source, String revision, String digest, String url, long size, Failure failure) {
    public static final String TYPE = "io.sluice.artifact.v1";

    public static ArtifactEvent stored(
            ObjectRef source, String revision, String digest, String url, long size) {
        return new ArtifactEvent(source, revision, digest, url, size, null);
    }

    public static ArtifactEvent failed(ObjectRef source, Failure failure) {
        return new ArtifactEvent(source, null, null, null, 0, failure);
    }
}
