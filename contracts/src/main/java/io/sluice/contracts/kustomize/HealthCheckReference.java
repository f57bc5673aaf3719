package io.sluice.contracts.kustomize;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

@JsonIgnoreProperties(ignoreUnknown = true)
public class HealthCheckReference {
    public String apiVersion;
    public String kind;
    public String name;
    public String namespace;
}
