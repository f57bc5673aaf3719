package io.sluice.contracts.events;

/** source-service stored a new artifact for a source: emitted only when the revision or digest changes. */
public record ArtifactEvent(ObjectRef source, String revision, String digest, String url, long size) {
    public static final String TYPE = "io.sluice.artifact.v1";
}
