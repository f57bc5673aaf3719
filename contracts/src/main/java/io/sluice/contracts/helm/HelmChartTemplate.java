package io.sluice.contracts.helm;

/** {@code spec.chart}: the chart to install, from which source, at which version. */
public class HelmChartTemplate {
    public HelmChartTemplateSpec spec;
}
