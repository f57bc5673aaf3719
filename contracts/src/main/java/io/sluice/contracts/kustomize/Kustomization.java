package io.sluice.contracts.kustomize;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's Kustomization, {@code kustomize.toolkit.fluxcd.io/v1}: same fields, so existing YAML
 * applies as it is.
 */
@Group("kustomize.toolkit.fluxcd.io")
@Version("v1")
@Kind("Kustomization")
@Plural("kustomizations")
@ShortNames("ks")
public class Kustomization extends CustomResource<KustomizationSpec, KustomizationStatus>
        implements Namespaced {
    public static final String KIND = "Kustomization";
}
