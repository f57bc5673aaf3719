package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmRepositorySpec {
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
