package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.LocalObjectReference;

public class GitRepositoryInclude {
    public LocalObjectReference repository;
    public String fromPath;
    public String toPath;
}
