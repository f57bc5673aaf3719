package io.sluice.contracts.events;

import java.util.List;

/**
 * source-service stored a new artifact for a source, or could not get one. For a GitRepository it
 * is emitted only when the revision or digest changes; for a HelmRelease (whose chart
 * source-service fetches) also when the release's spec changes, so values changes are rendered.
 * {@code failure} is set, and the rest empty, when the artifact could not be had (a chart or
 * version the repository does not have, an unreachable repository). {@code atInterval} is set when
 * the announcement comes from the source's check at its interval (or retry interval), not from a
 * change that set a check off: a HelmRelease's chart announced again then is the release's resync,
 * as helm-controller reconciles at its interval; announced again because its source's artifact
 * landed, it is not. {@code changedPaths}, for a GitRepository's new commit, names the files it
 * changed since the previous artifact, as a hint for the order of renders (null: not known).
 */
public record ArtifactEvent(
        ObjectRef source,
        String revision,
        String digest,
        String url,
        long size,
        Failure failure,
        boolean atInterval,
        List<String> changedPaths) {
    public static final String TYPE = "io.sluice.artifact.v1";

    public static ArtifactEvent stored(
            ObjectRef source, String revision, String digest, String url, long size) {
        return new ArtifactEvent(source, revision, digest, url, size, null, false, null);
    }

    public static ArtifactEvent failed(ObjectRef source, Failure failure) {
        return new ArtifactEvent(source, null, null, null, 0, failure, false, null);
    }

    /** True when {@code other} announces the same artifact (or failure), however it was set off. */
    public boolean sameArtifactAs(ArtifactEvent other) {
        return other != null && withoutTrigger().equals(other.withoutTrigger());
    }

    private ArtifactEvent withoutTrigger() {
        return new ArtifactEvent(source, revision, digest, url, size, failure, false, null);
    }

    /** The same announcement, naming the files its commit changed. */
    public ArtifactEvent withChangedPaths(List<String> paths) {
        return new ArtifactEvent(source, revision, digest, url, size, failure, atInterval, paths);
    }

    /** The same announcement, made by the check at the source's interval. */
    public ArtifactEvent checkedAtInterval() {
        return new ArtifactEvent(source, revision, digest, url, size, failure, true, changedPaths);
    }
}
