package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.contracts.kustomize.SourceReference;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmChartTemplateSpec {
    public String chart;

    /** An exact version or a semver range ({@code 1.x}, {@code >=1.0.0}); {@code *} when absent. */
    public String version;

    public SourceReference sourceRef;
    public String interval;
    public String reconcileStrategy;
    public List<String> valuesFiles;
    public Boolean ignoreMissingValuesFiles;
    public JsonNode verify;
}
