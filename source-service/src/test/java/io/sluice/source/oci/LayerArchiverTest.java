package io.sluice.source.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerArchiverTest {
    @TempDir Path dir;

    @Test
    void extractKeepsRegularFilesInsideTheArtifactThatNoIgnoreRuleExcludes() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("./app/settings.yaml", "a");
        files.put("app/.sourceignore", "*.txt\n");
        files.put("app/notes.txt", "n");
        files.put("docs/readme.md", "r");
        files.put("../escape.yaml", "x");
        Path layer = layer(files);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerArchiver.write(layer, LayerArchiver.EXTRACT, "docs/", out);

        assertThat(entries(out.toByteArray()))
                .containsExactly("app/settings.yaml", "app/.sourceignore");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LayerArchiver.write(layer, LayerArchiver.EXTRACT, "docs/", again);
        assertThat(again.toByteArray())
                .as("the same layer, the same bytes")
                .isEqualTo(out.toByteArray());
    }

    @Test
    void copyStoresTheLayerAsItIs() throws Exception {
        Path layer = layer(Map.of("chart.tgz", "c"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerArchiver.write(layer, LayerArchiver.COPY, null, out);
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(layer));
    }

    @Test
    void extractRefusesALayerThatIsNoGzippedTarball() throws Exception {
        Path layer = Files.writeString(dir.resolve("plain"), "not gzip");
        assertThatThrownBy(
                        () ->
                                LayerArchiver.write(
                                        layer,
                                        LayerArchiver.EXTRACT,
                                        null,
                                        new ByteArrayOutputStream()))
                .isInstanceOf(OciException.class)
                .hasMessageStartingWith(
                        "failed to extract layer contents from artifact: requires gzip-compressed body");
    }

    private Path layer(Map<String, String> files) throws IOException {
        Path layer = dir.resolve("layer.tgz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(
                        new GzipCompressorOutputStream(Files.newOutputStream(layer)))) {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return layer;
    }

    private static List<String> entries(byte[] archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(
                        new GzipCompressorInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
