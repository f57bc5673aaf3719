package io.sluice.contracts.source;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

public class GitRepositorySpec {
    @Required
    public String url;
    public GitRepositoryRef ref;
    @Required
    public String interval;
    public String timeout;
    public LocalObjectReference secretRef;
    public String provider;
    public String ignore;
    public List<GitRepositoryInclude> include;
    public Boolean recurseSubmodules;
    public Boolean suspend;
    public String proxySecretRef;
}
