package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public class SourceReference {
    public String apiVersion;
    public String kind;
    public String name;
    public String namespace;
}
