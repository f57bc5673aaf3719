package io.sluice.contracts.kustomize;

public class SourceReference {
    public String apiVersion;
    public String kind;
    public String name;
    public String namespace;
}
