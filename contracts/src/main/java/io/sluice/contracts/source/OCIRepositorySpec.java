package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.LocalObjectReference;

@JsonIgnoreProperties(ignoreUnknown = true)
public class OCIRepositorySpec {
    public String url;
    public OCIRepositoryRef ref;
    public OCILayerSelector layerSelector;
    public String provider;
    public LocalObjectReference secretRef;
    public String serviceAccountName;
    public LocalObjectReference certSecretRef;
    public LocalObjectReference proxySecretRef;
    public Boolean insecure;
    public String interval;
    public String timeout;
    public String ignore;
    public Boolean suspend;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class OCIRepositoryRef {
        public String digest;
        public String semver;
        public String semverFilter;
        public String tag;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class OCILayerSelector {
        public String mediaType;
        public String operation;
    }
}
