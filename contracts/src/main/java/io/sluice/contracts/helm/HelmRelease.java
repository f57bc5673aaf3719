package io.sluice.contracts.helm;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's HelmRelease, {@code helm.toolkit.fluxcd.io/v2}: same fields, so existing YAML applies as
 * it is.
 */
@Group("helm.toolkit.fluxcd.io")
@Version("v2")
@Kind("HelmRelease")
@Plural("helmreleases")
@ShortNames("hr")
public class HelmRelease extends CustomResource<HelmReleaseSpec, HelmReleaseStatus>
        implements Namespaced {
    public static final String KIND = "HelmRelease";
}
