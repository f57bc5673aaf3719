package io.sluice.render.helm;

import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.helm.HelmChartTemplateSpec;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.source.GitRepository;
import io.sluice.render.artifact.ArtifactFetcher;
import io.sluice.render.build.BuildException;
import io.sluice.render.build.PinnedTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A chart kept in a GitRepository ({@code chart.spec.chart} is its path in the repository):
 * unpacked from the Git artifact, checked to stay inside it, and packaged by Helm so it renders
 * exactly as a chart from a repository does.
 */
final class GitChart {
    private GitChart() {}

    static boolean isGitChart(HelmRelease release) {
        HelmChartTemplateSpec chart =
                release.getSpec().chart == null ? null : release.getSpec().chart.spec;
        return chart != null
                && chart.sourceRef != null
                && GitRepository.KIND.equals(chart.sourceRef.kind);
    }

    static Path packaged(
            PinnedTool helm,
            ArtifactFetcher fetcher,
            ArtifactEvent artifact,
            String path,
            Path workDir)
            throws BuildException, IOException, InterruptedException {
        Path root = Files.createDirectories(workDir.resolve("source")).toRealPath();
        fetcher.fetchInto(artifact.url(), artifact.digest(), root);
        Path chart = root.resolve(path == null ? "" : path.replaceFirst("^/+", "")).normalize();
        if (!chart.startsWith(root)
                || (Files.exists(chart) && !chart.toRealPath().startsWith(root))) {
            throw new BuildException(
                    "chart path '" + path + "' points outside the GitRepository artifact");
        }
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new BuildException(
                    "chart path '"
                            + path
                            + "' not found in revision "
                            + artifact.revision()
                            + " (no Chart.yaml)");
        }
        Path destination = Files.createDirectories(workDir.resolve("packaged"));
        helm.run(
                "packaging chart '" + path + "'",
                List.of("package", chart.toString(), "--destination", destination.toString()),
                Duration.ofMinutes(1));
        try (Stream<Path> files = Files.list(destination)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new BuildException(
                                            "packaging chart '" + path + "' produced no archive"));
        }
    }
}
