package io.sluice.render.helm;

import io.sluice.contracts.version.Version;
import io.sluice.render.artifact.ArtifactFetcher;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.PinnedTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A chart from an OCIRepository, versioned as helm-controller versions it: its own version with the
 * first 12 hex digits of the artifact's digest as build metadata ({@code 6.9.4+0123456789ab}), so
 * that a tag pushed again with other content is another version, and a release helm-controller made
 * from the same artifact is the same release. Helm renders it with that version ({@code
 * .Chart.Version}), as under helm-controller.
 */
final class OciChart {
    /** helm-controller's reason for a chart whose version does not fit the artifact. */
    static final String CHART_MUTATE_ERROR = "ChartMutateError";

    private OciChart() {}

    /** {@code archive} packaged again with {@link #version}. */
    static Path versioned(PinnedTool helm, Path archive, String revision, Path workDir)
            throws BuildException, IOException {
        ChartMetadata metadata = ChartMetadata.read(archive);
        String version = version(metadata.version(), revision);
        Path unpacked = workDir.resolve("oci-chart");
        ArtifactFetcher.unpack(archive, unpacked);
        Path chart;
        try (Stream<Path> top = Files.list(unpacked)) {
            chart =
                    top.filter(p -> Files.isRegularFile(p.resolve("Chart.yaml")))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new BuildException(
                                                    "chart "
                                                            + metadata.name()
                                                            + " has no Chart.yaml"));
        }
        return ChartPackage.of(helm, chart, version, "chart '" + metadata.name() + "'", workDir);
    }

    /**
     * The version helm-controller gives a chart of {@code chartVersion} from an artifact of {@code
     * revision} ({@code <tag>@sha256:<hex>}, or {@code sha256:<hex>} for a digest), with its
     * messages: a semver tag must be the chart's version.
     */
    static String version(String chartVersion, String revision) throws BuildException {
        Version version =
                Version.parse(chartVersion)
                        .orElseThrow(
                                () ->
                                        new BuildException(
                                                CHART_MUTATE_ERROR,
                                                "invalid chart version " + chartVersion));
        String digest = revision;
        int at = revision.indexOf('@');
        Optional<Version> tag =
                Version.parse(at < 0 ? revision : revision.substring(0, at).replace('_', '+'));
        if (tag.isPresent()) {
            if (at < 0 || revision.indexOf('@', at + 1) >= 0 || tag.get().compareTo(version) != 0) {
                throw new BuildException(
                        CHART_MUTATE_ERROR,
                        "artifact revision "
                                + (at < 0 ? revision : revision.substring(0, at))
                                + " does not match chart version "
                                + chartVersion);
            }
            digest = revision.substring(at + 1);
        }
        String[] pair = digest.split(":", -1);
        if (pair.length != 2 || pair[1].length() < 12) {
            throw new BuildException(CHART_MUTATE_ERROR, "invalid artifact revision " + digest);
        }
        return version.major()
                + "."
                + version.minor()
                + "."
                + version.patch()
                + (version.isPreRelease() ? "-" + version.preRelease() : "")
                + "+"
                + pair[1].substring(0, 12);
    }
}
