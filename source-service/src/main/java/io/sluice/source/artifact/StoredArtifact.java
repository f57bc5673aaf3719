package io.sluice.source.artifact;

/**
 * An artifact file in the store: digest {@code sha256:<hex>}, the file name it is served under, its
 * size.
 */
public record StoredArtifact(String digest, String fileName, long size) {}
