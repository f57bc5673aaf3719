package io.sluice.render.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders on one thread share the unpacked artifact of a revision, and each finds it exactly as
 * unpacked: the kustomization file a render wrote or changed is put back at check-in.
 */
class ArtifactTreesTest {
    @TempDir Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> archives = new LinkedHashMap<>();
    private ArtifactTrees trees;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    byte[] body = archives.get(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
        trees = new ArtifactTrees(new ArtifactFetcher(), tmp.resolve("trees"), Runnable::run);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void eachRenderFindsTheArtifactAsUnpacked() throws Exception {
        String[] artifact =
                artifact(
                        "/r1.tar.gz",
                        Map.of(
                                "apps/a/cm.yaml", "kind: ConfigMap",
                                "apps/b/cm.yaml", "kind: ConfigMap",
                                "apps/b/kustomization.yaml", "resources: [cm.yaml]\n"));
        Path first;
        try (ArtifactTrees.Checkout tree =
                trees.checkout(artifact[0], artifact[1], "./apps/a", false)) {
            first = tree.root();
            Files.writeString(first.resolve("apps/a/kustomization.yaml"), "resources: [cm.yaml]\n");
        }
        assertThat(first.resolve("apps/a/kustomization.yaml")).doesNotExist();
        try (ArtifactTrees.Checkout tree =
                trees.checkout(artifact[0], artifact[1], "/apps/b", false)) {
            assertThat(tree.root()).as("the same tree, not unpacked again").isEqualTo(first);
            Files.writeString(
                    tree.root().resolve("apps/b/kustomization.yaml"),
                    "resources: [cm.yaml]\nnamespace: changed\n");
        }
        assertThat(first.resolve("apps/b/kustomization.yaml")).hasContent("resources: [cm.yaml]");
        assertThat(first.resolve("apps/a/cm.yaml")).hasContent("kind: ConfigMap");
    }

    @Test
    void aRenderThatDecryptsHasATreeOfItsOwn() throws Exception {
        String[] artifact = artifact("/r2.tar.gz", Map.of("app/secret.yaml", "kind: Secret"));
        Path shared;
        try (ArtifactTrees.Checkout tree = trees.checkout(artifact[0], artifact[1], "app", false)) {
            shared = tree.root();
        }
        Path own;
        try (ArtifactTrees.Checkout tree = trees.checkout(artifact[0], artifact[1], "app", true)) {
            own = tree.root();
            assertThat(own).isNotEqualTo(shared);
            Files.writeString(own.resolve("app/secret.yaml"), "kind: Secret # decrypted");
        }
        assertThat(own).doesNotExist();
        assertThat(shared.resolve("app/secret.yaml")).hasContent("kind: Secret");
    }

    @Test
    void onlyTheLastFewRevisionsAreKept() throws Exception {
        Path oldest = null;
        for (int i = 0; i < 5; i++) {
            String[] artifact =
                    artifact("/r" + (10 + i) + ".tar.gz", Map.of("cm.yaml", "rev " + i));
            try (ArtifactTrees.Checkout tree =
                    trees.checkout(artifact[0], artifact[1], ".", false)) {
                if (oldest == null) {
                    oldest = tree.root();
                }
                assertThat(tree.root().resolve("cm.yaml")).hasContent("rev " + i);
            }
        }
        assertThat(oldest).as("the least recently used of five").doesNotExist();
    }

    /** Serves a tar.gz of {@code files} at {@code path}: its URL and digest. */
    private String[] artifact(String path, Map<String, String> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        archives.put(path, bytes.toByteArray());
        String digest =
                "sha256:"
                        + HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(bytes.toByteArray()));
        return new String[] {"http://127.0.0.1:" + server.getAddress().getPort() + path, digest};
    }
}
