package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's HelmChart, {@code source.toolkit.fluxcd.io/v1}: the chart of a HelmRelease's {@code
 * spec.chart}, written from that template as helm-controller writes it ({@code
 * <releaseNamespace>-<releaseName>} in the chart source's namespace), so that the flux CLI finds
 * it.
 */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("HelmChart")
@Plural("helmcharts")
@ShortNames("hc")
public class HelmChart extends CustomResource<HelmChartSpec, HelmChartStatus>
        implements Namespaced {
    public static final String KIND = "HelmChart";
}
