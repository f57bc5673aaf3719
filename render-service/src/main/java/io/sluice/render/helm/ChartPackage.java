package io.sluice.render.helm;

import io.sluice.render.build.BuildException;
import io.sluice.render.build.PinnedTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code helm package}: a chart directory made an archive, as a chart repository serves one. */
final class ChartPackage {
    private ChartPackage() {}

    /** The archive of {@code chart}; with {@code version}, that version in place of its own. */
    static Path of(PinnedTool helm, Path chart, String version, String what, Path workDir)
            throws BuildException, IOException {
        Path destination = Files.createDirectories(workDir.resolve("packaged"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "package",
                                chart.toString(),
                                "--destination",
                                destination.toString()));
        if (version != null) {
            args.addAll(List.of("--version", version));
        }
        helm.run("packaging " + what, args, Duration.ofMinutes(1));
        try (Stream<Path> files = Files.list(destination)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow(
                            () -> new BuildException("packaging " + what + " produced no archive"));
        }
    }
}
