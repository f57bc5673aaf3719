package io.sluice.contracts.source;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Flux's GitRepository, {@code source.toolkit.fluxcd.io/v1}: same fields, so existing YAML applies
 * as it is.
 */
@Group("source.toolkit.fluxcd.io")
@Version("v1")
@Kind("GitRepository")
@Plural("gitrepositories")
@ShortNames("gitrepo")
public class GitRepository extends CustomResource<GitRepositorySpec, GitRepositoryStatus>
        implements Namespaced {
    public static final String KIND = "GitRepository";
}
