package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's OCIRepository, {@code source.toolkit.fluxcd.io/v1}: an artifact in an OCI registry (what
 * {@code flux push artifact} or {@code helm push} wrote), same fields as Flux's.
 */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("OCIRepository")
@Plural("ocirepositories")
@ShortNames("ocirepo")
public class OCIRepository extends CustomResource<OCIRepositorySpec, OCIRepositoryStatus>
        implements Namespaced {
    public static final String KIND = "OCIRepository";
}
