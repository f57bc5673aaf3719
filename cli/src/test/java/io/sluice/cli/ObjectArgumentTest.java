package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.contracts.events.ObjectRef;
import org.junit.jupiter.api.Test;

class ObjectArgumentTest {
    @Test
    void kindsAsTheFluxCliNamesThemInAnyCase() {
        assertThat(ObjectArgument.parse("ks/apps", "flux-system"))
                .isEqualTo(new ObjectRef("Kustomization", "flux-system", "apps"));
        assertThat(ObjectArgument.parse("HelmRelease/podinfo", "web"))
                .isEqualTo(new ObjectRef("HelmRelease", "web", "podinfo"));
        assertThat(ObjectArgument.parse("gitrepository/flux-system", "flux-system").kind())
                .isEqualTo("GitRepository");
    }

    @Test
    void anythingElseIsNamedWithTheKindsThatAre() {
        assertThatThrownBy(() -> ObjectArgument.parse("deployment/web", "default"))
                .hasMessageContaining("'deployment/web' is not <kind>/<name>")
                .hasMessageContaining("kustomization (ks)");
        assertThatThrownBy(() -> ObjectArgument.parse("ks/", "default"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
