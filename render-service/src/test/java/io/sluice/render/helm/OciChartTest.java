package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.render.build.BuildException;
import org.junit.jupiter.api.Test;

/** helm-controller's mutateChartWithSourceRevision (v1.6.4), case by case. */
class OciChartTest {
    private static final String DIGEST =
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void aSemverTagOfTheChartsVersionGivesTheVersionWithTheDigest() throws Exception {
        assertThat(OciChart.version("6.9.4", "6.9.4@" + DIGEST)).isEqualTo("6.9.4+0123456789ab");
    }

    @Test
    void theChartsOwnBuildMetadataIsReplacedAndTheVersionNormalised() throws Exception {
        assertThat(OciChart.version("6.9.4+old", "6.9.4@" + DIGEST))
                .isEqualTo("6.9.4+0123456789ab");
        assertThat(OciChart.version("v1.2-rc.1", "1.2.0-rc.1@" + DIGEST))
                .isEqualTo("1.2.0-rc.1+0123456789ab");
        // OCI tags cannot hold '+': Helm pushes 6.9.4+build as 6.9.4_build
        assertThat(OciChart.version("6.9.4+build", "6.9.4_build@" + DIGEST))
                .isEqualTo("6.9.4+0123456789ab");
    }

    @Test
    void aTagThatIsNoVersionOrADigestGivesTheDigest() throws Exception {
        assertThat(OciChart.version("6.9.4", "latest@" + DIGEST)).isEqualTo("6.9.4+0123456789ab");
        assertThat(OciChart.version("6.9.4", DIGEST)).isEqualTo("6.9.4+0123456789ab");
    }

    @Test
    void aSemverTagOfAnotherVersionFailsAsHelmControllerFails() {
        assertThatThrownBy(() -> OciChart.version("6.9.4", "6.9.5@" + DIGEST))
                .isInstanceOf(BuildException.class)
                .hasMessage("artifact revision 6.9.5 does not match chart version 6.9.4")
                .extracting(e -> ((BuildException) e).reason())
                .isEqualTo("ChartMutateError");
        assertThatThrownBy(() -> OciChart.version("6.9.4", "6.9.4"))
                .hasMessage("artifact revision 6.9.4 does not match chart version 6.9.4");
        assertThatThrownBy(() -> OciChart.version("6.9.4", "sha256:0123"))
                .hasMessage("invalid artifact revision sha256:0123");
        assertThatThrownBy(() -> OciChart.version("six", "6.9.4@" + DIGEST))
                .hasMessage("invalid chart version six");
    }
}
