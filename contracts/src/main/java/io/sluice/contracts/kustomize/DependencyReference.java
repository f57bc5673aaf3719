package io.sluice.contracts.kustomize;

public class DependencyReference {
    public String name;
    public String namespace;
}
