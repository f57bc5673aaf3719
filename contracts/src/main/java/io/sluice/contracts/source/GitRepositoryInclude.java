package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

@JsonIgnoreProperties(ignoreUnknown = true)
public class GitRepositoryInclude {
    public LocalObjectReference repository;
    public String fromPath;
    public String toPath;
}
