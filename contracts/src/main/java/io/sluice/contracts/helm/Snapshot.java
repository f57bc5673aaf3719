package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One stored Helm release revision as helm-controller records it in {@code status.history}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Snapshot {
    public String digest;
    public String name;
    public String namespace;
    public Integer version;
    public String status;
    public String chartName;
    public String chartVersion;
    public String appVersion;
    public String configDigest;
    public String firstDeployed;
    public String lastDeployed;
    public String deleted;
}
