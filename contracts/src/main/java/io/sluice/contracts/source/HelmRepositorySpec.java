package io.sluice.contracts.source;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

public class HelmRepositorySpec {
    @Required
    public String url;
    public String interval;
    public String timeout;
    public LocalObjectReference secretRef;
    public LocalObjectReference certSecretRef;
    public Boolean passCredentials;
    public Boolean insecure;
    public String provider;
    public String type;
    public Boolean suspend;
}
