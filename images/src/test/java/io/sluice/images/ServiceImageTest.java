package io.sluice.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void theSameInputsGiveTheSameDigestWhateverTheFilesDatesAndUmask() throws Exception {
        Path first = inputs(dir.resolve("one"), "rw-r--r--", FileTime.fromMillis(1_000));
        Path second = inputs(dir.resolve("two"), "rw-rw-r--", FileTime.fromMillis(9_999_999));

        String a = build(first, dir.resolve("a.tar")).getDigest().toString();
        String b = build(second, dir.resolve("b.tar")).getDigest().toString();

        assertThat(a).startsWith("sha256:").isEqualTo(b);
    }

    @Test
    void anotherApplicationGivesAnotherDigest() throws Exception {
        Path first = inputs(dir.resolve("one"), "rw-r--r--", FileTime.fromMillis(1_000));
        Path second = inputs(dir.resolve("two"), "rw-r--r--", FileTime.fromMillis(1_000));
        Files.writeString(second.resolve("app/quarkus-app/app/service.jar"), "changed");

        assertThat(build(first, dir.resolve("a.tar")).getDigest())
                .isNotEqualTo(build(second, dir.resolve("b.tar")).getDigest());
    }

    @Test
    void runsAsSluiceTheJvmSizedByTheContainerWithTheToolsNamed() throws Exception {
        Path tarball = dir.resolve("image.tar");
        build(inputs(dir.resolve("in"), "rw-r--r--", FileTime.fromMillis(1_000)), tarball);

        Map<String, byte[]> blobs = blobs(tarball);
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(blobs, index.at("/manifests/0/digest").asText()));
        JsonNode config =
                JSON.readTree(blob(blobs, manifest.at("/config/digest").asText())).get("config");

        assertThat(config.get("User").asText()).isEqualTo("10001:10001");
        assertThat(config.get("Entrypoint").toString())
                .isEqualTo("[\"/opt/java/bin/java\",\"-jar\",\"/app/quarkus-run.jar\"]");
        assertThat(config.get("Env").toString())
                .contains(
                        "SLUICE_KUSTOMIZE=/usr/local/bin/kustomize",
                        "MALLOC_ARENA_MAX=2",
                        "JDK_JAVA_OPTIONS=" + ServiceImage.JAVA_OPTIONS + "\"");
        Map<String, Integer> modes = new HashMap<>();
        for (JsonNode layer : manifest.get("layers")) {
            modes.putAll(entries(blob(blobs, layer.get("digest").asText())));
        }
        assertThat(modes)
                .containsEntry("opt/java/bin/java", 0755)
                .containsEntry("usr/local/bin/kustomize", 0755)
                .containsEntry("etc/passwd", 0644)
                .containsEntry("tmp", 0777)
                .containsEntry("app/lib/boot/boot.jar", 0644)
                .containsEntry("app/quarkus-run.jar", 0644);
    }

    private com.google.cloud.tools.jib.api.JibContainer build(Path inputs, Path tarball)
            throws Exception {
        ServiceImage image =
                new ServiceImage(
                        "render-service",
                        inputs.resolve("base"),
                        inputs.resolve("app/quarkus-app"),
                        Map.of("kustomize", inputs.resolve("tools/kustomize")),
                        8082);
        return ImageBuilder.write(
                image, tarball, "ghcr.io/sluice/render-service:test", dir.resolve("cache"));
    }

    /** A base, a tool and an application as the build leaves them, in a given umask and date. */
    private static Path inputs(Path root, String fileMode, FileTime time) throws IOException {
        write(
                root.resolve("base/rootfs/etc/passwd"),
                "sluice:x:10001:10001::/tmp:/sbin/nologin\n",
                fileMode,
                time);
        Files.createDirectories(root.resolve("base/rootfs/tmp"));
        write(root.resolve("base/java/bin/java"), "jvm", "rwxr-xr-x", time);
        write(root.resolve("base/java/lib/modules"), "modules", fileMode, time);
        write(root.resolve("tools/kustomize"), "go binary", "rwxrwxr-x", time);
        write(root.resolve("app/quarkus-app/quarkus-run.jar"), "runner", fileMode, time);
        write(root.resolve("app/quarkus-app/lib/boot/boot.jar"), "boot", fileMode, time);
        write(root.resolve("app/quarkus-app/app/service.jar"), "service", fileMode, time);
        return root;
    }

    private static void write(Path file, String content, String mode, FileTime time)
            throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        Files.setLastModifiedTime(file, time);
    }

    private static Map<String, byte[]> blobs(Path tarball) throws IOException {
        Map<String, byte[]> blobs = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                blobs.put(entry.getName(), tar.readAllBytes());
            }
        }
        return blobs;
    }

    private static byte[] blob(Map<String, byte[]> blobs, String digest) {
        return blobs.get("blobs/sha256/" + digest.substring("sha256:".length()));
    }

    private static Map<String, Integer> entries(byte[] gzippedLayer) throws IOException {
        Map<String, Integer> modes = new HashMap<>();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzippedLayer));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().replaceFirst("^/", "").replaceFirst("/$", "");
                modes.put(name, entry.getMode() & 07777);
            }
        }
        return modes;
    }
}
