package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's HelmRepository, {@code source.toolkit.fluxcd.io/v1}: an HTTP chart repository serving an
 * index.yaml.
 */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("HelmRepository")
@Plural("helmrepositories")
@ShortNames("helmrepo")
public class HelmRepository extends CustomResource<HelmRepositorySpec, HelmRepositoryStatus>
        implements Namespaced {
    public static final String KIND = "HelmRepository";
}
