package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.render.build.BuildException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helm-controller's mutateChartWithSourceRevision (v1.6.4), case by case. */
class OciChartTest {
    private static final String DIGEST =
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void theArchiveChangesOnlyInItsChartYamlsVersion(@TempDir Path workDir) throws Exception {
        Path podinfo =
                Path.of("../../shared/fixtures/charts/podinfo-6.9.4.tgz")
                        .toAbsolutePath()
                        .normalize();
        Path versioned = OciChart.versioned(podinfo, "6.9.4@" + DIGEST, workDir);
        assertThat(ChartMetadata.read(versioned).version()).isEqualTo("6.9.4+0123456789ab");
        Map<String, String> before = entries(podinfo);
        Map<String, String> after = entries(versioned);
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        assertThat(after.get("podinfo/Chart.yaml"))
                .isEqualTo(
                        before.get("podinfo/Chart.yaml")
                                .replace("\nversion: 6.9.4\n", "\nversion: 6.9.4+0123456789ab\n"));
        before.remove("podinfo/Chart.yaml");
        after.remove("podinfo/Chart.yaml");
        assertThat(after).isEqualTo(before);
    }

    /** Each entry's name and content, in the archive's order. */
    private static Map<String, String> entries(Path archive) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GZIPInputStream(Files.newInputStream(archive)), true)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(
                        entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

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
    void whatHelmControllerRefusesFailsWithItsReasonAndMessage() {
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
