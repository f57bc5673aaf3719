package io.sluice.render.helm;

import io.sluice.render.build.BuildException;
import io.sluice.render.build.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The CRDs a packaged chart ships in {@code crds/} (its own, then its unpacked subcharts'), as
 * {@code helm template --include-crds} emits them: untemplated, in archive order. They are read
 * here rather than by Helm so that each is known to come from {@code crds/} (and gets the
 * CrdPolicy's mark). Only CustomResourceDefinitions are kept: anything else there (traefik's chart
 * ships a kustomization.yaml in crds/) makes Helm's own install fail with "no matches for kind",
 * which helps nobody.
 */
final class ChartCrds {
    private ChartCrds() {}

    static List<Map<String, Object>> read(Path chartArchive) throws BuildException {
        List<Map<String, Object>> own = new ArrayList<>();
        List<Map<String, Object>> subcharts = new ArrayList<>();
        try (InputStream file = Files.newInputStream(chartArchive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (!entry.isFile()
                        || !(name.endsWith(".yaml")
                                || name.endsWith(".yml")
                                || name.endsWith(".json"))) {
                    continue;
                }
                String[] parts = name.split("/");
                boolean ownCrd = parts.length >= 3 && parts[1].equals("crds");
                boolean subchartCrd =
                        parts.length >= 5 && parts[1].equals("charts") && parts[3].equals("crds");
                if (ownCrd || subchartCrd) {
                    String content = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    (ownCrd ? own : subcharts)
                            .addAll(
                                    YamlDocuments.objects(
                                            content, chartArchive.getFileName() + ":" + name));
                }
            }
        } catch (IOException e) {
            throw new BuildException(
                    "cannot read chart " + chartArchive.getFileName() + ": " + e.getMessage(), e);
        }
        own.addAll(subcharts);
        return own.stream().filter(o -> "CustomResourceDefinition".equals(o.get("kind"))).toList();
    }
}
