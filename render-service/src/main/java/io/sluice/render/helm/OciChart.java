package io.sluice.render.helm;

import io.sluice.contracts.version.Version;
import io.sluice.render.build.BuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A chart from an OCIRepository, versioned as helm-controller versions it: its own version with the
 * first 12 hex digits of the artifact's digest as build metadata ({@code 6.9.4+0123456789ab}), so
 * that a tag pushed again with other content is another version, and a release helm-controller made
 * from the same artifact is the same release. Helm renders it with that version ({@code
 * .Chart.Version}), as under helm-controller. (helm-controller's DisableChartDigestTracking feature
 * gate, which keeps the chart's own version, is not honoured.)
 */
final class OciChart {
    /** helm-controller's reason for a chart whose version does not fit the artifact. */
    static final String CHART_MUTATE_ERROR = "ChartMutateError";

    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^version:.*$");

    private OciChart() {}

    /**
     * {@code archive} with {@link #version} in its {@code Chart.yaml}, everything else as it was:
     * helm-controller changes only the loaded chart's version (packaging it again with Helm would
     * also drop what its {@code .helmignore} names).
     */
    static Path versioned(Path archive, String revision, Path workDir)
            throws BuildException, IOException {
        ChartMetadata metadata = ChartMetadata.read(archive);
        String version = version(metadata.version(), revision);
        Path versioned = workDir.resolve("chart-" + version + ".tgz");
        try (TarArchiveInputStream in =
                        new TarArchiveInputStream(
                                new GZIPInputStream(Files.newInputStream(archive)), true);
                TarArchiveOutputStream out =
                        new TarArchiveOutputStream(
                                new GZIPOutputStream(Files.newOutputStream(versioned)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                byte[] content = in.readAllBytes();
                TarArchiveEntry written = entry;
                if (ChartMetadata.isChartYaml(entry)) {
                    content = withVersion(content, version);
                    // a new header: the input stream finds the next entry by this one's size
                    written = new TarArchiveEntry(entry.getName());
                    written.setMode(entry.getMode());
                    written.setModTime(entry.getLastModifiedTime());
                    written.setSize(content.length);
                }
                out.putArchiveEntry(written);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        return versioned; // ChartMetadata.read found its Chart.yaml
    }

    private static byte[] withVersion(byte[] chartYaml, String version) throws BuildException {
        String text = new String(chartYaml, StandardCharsets.UTF_8);
        Matcher line = VERSION_LINE.matcher(text);
        if (!line.find()) {
            throw new BuildException("Chart.yaml has no top-level version");
        }
        return line.replaceFirst("version: " + Matcher.quoteReplacement(version))
                .getBytes(StandardCharsets.UTF_8);
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
                                        BuildException.withReason(
                                                CHART_MUTATE_ERROR,
                                                "invalid chart version " + chartVersion));
        String digest = revision;
        int at = revision.indexOf('@');
        Optional<Version> tag =
                Version.parse(at < 0 ? revision : revision.substring(0, at).replace('_', '+'));
        if (tag.isPresent()) {
            if (at < 0 || revision.indexOf('@', at + 1) >= 0 || tag.get().compareTo(version) != 0) {
                throw BuildException.withReason(
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
            throw BuildException.withReason(
                    CHART_MUTATE_ERROR, "invalid artifact revision " + digest);
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
