package io.sluice.contracts.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseNamingTest {
    @Test
    void releaseNameAsFluxComputesIt() {
        assertThat(ReleaseNaming.releaseName("podinfo", null, null)).isEqualTo("podinfo");
        assertThat(ReleaseNaming.releaseName("podinfo", "apps", null)).isEqualTo("apps-podinfo");
        assertThat(ReleaseNaming.releaseName("podinfo", "apps", "web")).isEqualTo("web");
        assertThat(ReleaseNaming.namespace("flux-system", "apps")).isEqualTo("apps");
        assertThat(ReleaseNaming.namespace("flux-system", null)).isEqualTo("flux-system");
    }

    @Test
    void aNameLongerThanHelmAllowsIsShortenedWithAHash() {
        String longName = "some-front-appended-namespace-release-with-a-very-long-name";
        String shortened = ReleaseNaming.releaseName(longName, null, null);
        assertThat(shortened)
                .hasSize(53)
                .startsWith(longName.substring(0, 40) + "-")
                .matches(".*-[0-9a-f]{12}");
        assertThat(ReleaseNaming.releaseName(longName, null, null)).isEqualTo(shortened);
    }
}
