package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** {@code spec.chart}: the chart to install, from which source, at which version. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmChartTemplate {
    /** Labels and annotations of the HelmChart object written from this template. */
    public Metadata metadata;

    public HelmChartTemplateSpec spec;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Metadata {
        public Map<String, String> labels;
        public Map<String, String> annotations;
    }
}
