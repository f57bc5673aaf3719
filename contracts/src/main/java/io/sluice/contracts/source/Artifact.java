package io.sluice.contracts.source;

/** A stored, addressable copy of a source at one revision, as Flux reports it in {@code status.artifact}. */
public class Artifact {
    public String path;
    public String url;
    public String revision;
    public String digest;
    public String lastUpdateTime;
    public Long size;
}
