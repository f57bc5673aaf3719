package io.sluice.contracts.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A HelmChart's spec: what helm-controller copies from a HelmRelease's chart template. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HelmChartSpec {
    public String chart;
    public String version;
    public SourceRef sourceRef;
    public String interval;
    public String reconcileStrategy;
    public List<String> valuesFiles;
    public Boolean ignoreMissingValuesFiles;
    public JsonNode verify;
    public Boolean suspend;

    /** The chart's source, in the HelmChart's own namespace. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SourceRef {
        public String apiVersion;
        public String kind;
        public String name;
    }
}
