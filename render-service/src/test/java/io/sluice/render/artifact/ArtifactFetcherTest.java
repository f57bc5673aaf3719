package io.sluice.render.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFetcherTest {
    @TempDir Path tmp;

    @Test
    void unpacksFilesAndLinksInsideTheRoot() throws IOException {
        Path archive = tar(tmp.resolve("ok.tar.gz"), "apps/cm.yaml", "apps/link.yaml", "cm.yaml");
        ArtifactFetcher.unpack(archive, tmp.resolve("out"));
        assertThat(tmp.resolve("out/apps/cm.yaml")).hasContent("apiVersion: v1");
        assertThat(Files.isSymbolicLink(tmp.resolve("out/apps/link.yaml"))).isTrue();
    }

    @Test
    void refusesEntriesAndLinksThatEscape() throws IOException {
        Path dotdot = tar(tmp.resolve("a.tar.gz"), "../evil.yaml", null, null);
        assertThatThrownBy(() -> ArtifactFetcher.unpack(dotdot, tmp.resolve("out1")))
                .hasMessageContaining("outside the artifact root");
        Path link =
                tar(tmp.resolve("b.tar.gz"), "apps/cm.yaml", "apps/passwd", "../../../etc/passwd");
        assertThatThrownBy(() -> ArtifactFetcher.unpack(link, tmp.resolve("out2")))
                .hasMessageContaining("outside the artifact root");
    }

    /** Each link looks inside on its own; together they lead out, and a file would follow. */
    @Test
    void refusesAChainOfLinksThatLeadsOut() throws IOException {
        Path archive = tmp.resolve("chain.tar.gz");
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            link(tar, "sub/x", "..");
            link(tar, "d", "sub/x/..");
            byte[] content = "kind: Evil".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("d/evil.yaml");
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        Files.createDirectories(tmp.resolve("jail"));
        assertThatThrownBy(() -> ArtifactFetcher.unpack(archive, tmp.resolve("jail/out")))
                .hasMessageContaining("outside the artifact root");
        assertThat(tmp.resolve("jail/evil.yaml")).doesNotExist();
    }

    @Test
    void dropsALinkToNothing() throws IOException {
        Path archive =
                tar(
                        tmp.resolve("dangling.tar.gz"),
                        "app/cm.yaml",
                        "app/kustomization.yaml",
                        "gone.yaml");
        ArtifactFetcher.unpack(archive, tmp.resolve("out4"));
        assertThat(tmp.resolve("out4/app/cm.yaml")).exists();
        assertThat(
                        Files.exists(
                                tmp.resolve("out4/app/kustomization.yaml"),
                                java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    private static void link(TarArchiveOutputStream tar, String name, String target)
            throws IOException {
        TarArchiveEntry symlink = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        symlink.setLinkName(target);
        tar.putArchiveEntry(symlink);
        tar.closeArchiveEntry();
    }

    private static Path tar(Path archive, String file, String link, String target)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            byte[] content = "apiVersion: v1".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(file);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            if (link != null) {
                TarArchiveEntry symlink = new TarArchiveEntry(link, TarArchiveEntry.LF_SYMLINK);
                symlink.setLinkName(target);
                tar.putArchiveEntry(symlink);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }
}
