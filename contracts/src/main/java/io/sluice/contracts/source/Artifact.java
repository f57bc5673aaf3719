package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A stored, addressable copy of a source at one revision, as Flux reports it in {@code
 * status.artifact}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class Artifact {
    public String path;
    public String url;
    public String revision;
    public String digest;
    public String lastUpdateTime;
    public Long size;

    /** The OCI manifest's annotations, for an OCIRepository's artifact. */
    public java.util.Map<String, String> metadata;
}
