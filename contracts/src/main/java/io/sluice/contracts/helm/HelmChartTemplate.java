package io.sluice.contracts.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code spec.chart}: the chart to install, from which source, at which version. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class HelmChartTemplate {
    public HelmChartTemplateSpec spec;
}
