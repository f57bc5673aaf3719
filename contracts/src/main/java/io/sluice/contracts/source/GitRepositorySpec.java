package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class GitRepositorySpec {
    public String url;
    public GitRepositoryRef ref;
    public String interval;
    public String timeout;
    public LocalObjectReference secretRef;
    public String provider;
    public String ignore;
    public List<GitRepositoryInclude> include;
    public Boolean recurseSubmodules;
    public Boolean suspend;
}
