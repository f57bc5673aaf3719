package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

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

    /** The chart's test hooks by name as last run for this revision; absent until its tests ran. */
    public Map<String, TestHookStatus> testHooks;

    /** One test hook's last run, as helm-controller records it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class TestHookStatus {
        public String lastStarted;
        public String lastCompleted;
        public String phase;
    }
}
