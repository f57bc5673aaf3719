package io.sluice.render.helm;

import io.sluice.render.build.BuildException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** The name, version and appVersion of a packaged chart, from its top-level {@code Chart.yaml}. */
record ChartMetadata(String name, String version, String appVersion) {

    static ChartMetadata read(Path chartArchive) throws BuildException {
        try (InputStream file = Files.newInputStream(chartArchive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (isChartYaml(entry)) {
                    Object loaded =
                            new Load(LoadSettings.builder().build())
                                    .loadFromString(
                                            new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    Map<?, ?> chart = loaded instanceof Map<?, ?> map ? map : Map.of();
                    return new ChartMetadata(
                            text(chart.get("name")),
                            text(chart.get("version")),
                            text(chart.get("appVersion")));
                }
            }
        } catch (IOException | YamlEngineException e) {
            throw new BuildException(
                    "cannot read chart " + chartArchive.getFileName() + ": " + e.getMessage(), e);
        }
        throw new BuildException("chart " + chartArchive.getFileName() + " has no Chart.yaml");
    }

    /** The chart's own {@code Chart.yaml}: {@code <chart>/Chart.yaml}, not a subchart's. */
    static boolean isChartYaml(TarArchiveEntry entry) {
        String[] parts = entry.getName().split("/");
        return entry.isFile() && parts.length == 2 && parts[1].equals("Chart.yaml");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
