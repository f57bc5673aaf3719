package io.sluice.contracts.kustomize;

public class HealthCheckReference {
    public String apiVersion;
    public String kind;
    public String name;
    public String namespace;
}
