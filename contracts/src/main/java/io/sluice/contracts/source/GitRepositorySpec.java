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
    public LocalObjectReference proxySecretRef;
    public String provider;
    public String ignore;
    public List<GitRepositoryInclude> include;
    public Boolean recurseSubmodules;

    /** {@code verify}: the signature check of the commit or tag checked out. */
    public GitRepositoryVerification verify;

    public Boolean suspend;
}
