package io.sluice.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The real OCI registry (CNCF distribution, {@code deploy/local/registry/start}) on loopback, and a
 * pusher that writes artifacts to it over the distribution API as {@code flux push artifact} writes
 * them: a gzipped tarball layer ({@code application/vnd.cncf.flux.content.v1.tar+gzip}), a config
 * blob, and a manifest with the source and revision annotations.
 */
public final class OciRegistry implements AutoCloseable {
    public static final String FLUX_CONFIG = "application/vnd.cncf.flux.config.v1+json";
    public static final String FLUX_CONTENT = "application/vnd.cncf.flux.content.v1.tar+gzip";
    public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    public static final String HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repoRoot;
    private final Path runDir;
    private final String host;
    private final String login;
    private final HttpClient http = HttpClient.newHttpClient();

    private OciRegistry(Path repoRoot, Path runDir, String host, String login) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.host = host;
        this.login = login;
    }

    public static OciRegistry start(Path repoRoot, Path runDir)
            throws IOException, InterruptedException {
        return new OciRegistry(repoRoot, runDir, launch(repoRoot, runDir), null);
    }

    /** A registry that asks for {@code user} and {@code password} (Basic auth, htpasswd). */
    public static OciRegistry startWithLogin(
            Path repoRoot, Path runDir, String user, String password)
            throws IOException, InterruptedException {
        java.nio.file.Files.createDirectories(runDir);
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        java.nio.file.Files.writeString(
                runDir.resolve("htpasswd"),
                user
                        + ":"
                        + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate(
                                "2y", password.toCharArray(), salt, 10)
                        + "\n");
        return new OciRegistry(repoRoot, runDir, launch(repoRoot, runDir), user + ":" + password);
    }

    private static String launch(Path repoRoot, Path runDir)
            throws IOException, InterruptedException {
        return Launcher.run(
                repoRoot.resolve("deploy/local/registry/start"),
                runDir,
                runDir.getParent().resolve("registry-start.log"));
    }

    /** {@code 127.0.0.1:port}. */
    public String host() {
        return host;
    }

    /**
     * Pushes {@code files} (path in the artifact → content) as a Flux artifact tagged {@code tag}
     * in {@code repository}; returns the manifest's digest.
     */
    public String pushArtifact(
            String repository, String tag, Map<String, String> files, String revision)
            throws IOException, InterruptedException {
        byte[] layer = tarGz(files);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor(FLUX_CONFIG, config));
        manifest.put("layers", List.of(descriptor(FLUX_CONTENT, layer)));
        manifest.put(
                "annotations",
                Map.of(
                        "org.opencontainers.image.created", "1970-01-01T00:00:00Z",
                        "org.opencontainers.image.source", "sluice-tests",
                        "org.opencontainers.image.revision", revision));
        return push(repository, tag, manifest, List.of(layer, config));
    }

    /**
     * Pushes a packaged chart as {@code helm push} does (config {@code
     * application/vnd.cncf.helm.config.v1+json}, the archive as the one layer), tagged with its
     * version ({@code +} written {@code _}); returns the manifest's digest.
     */
    public String pushChart(String repository, String name, String version, Path archive)
            throws IOException, InterruptedException {
        byte[] layer = java.nio.file.Files.readAllBytes(archive);
        byte[] config =
                JSON.writeValueAsBytes(
                        Map.of("apiVersion", "v2", "name", name, "version", version));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor(HELM_CONFIG, config));
        manifest.put("layers", List.of(descriptor(HELM_CHART, layer)));
        return push(
                repository + "/" + name,
                version.replace('+', '_'),
                manifest,
                List.of(layer, config));
    }

    private String push(
            String repository, String tag, Map<String, Object> manifest, List<byte[]> blobs)
            throws IOException, InterruptedException {
        for (byte[] blob : blobs) {
            HttpResponse<String> started =
                    send(
                            HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                                    .POST(HttpRequest.BodyPublishers.noBody()),
                            202);
            String location = started.headers().firstValue("Location").orElseThrow();
            URI upload =
                    URI.create("http://" + host)
                            .resolve(
                                    location
                                            + (location.contains("?") ? "&" : "?")
                                            + "digest="
                                            + sha256(blob));
            send(
                    HttpRequest.newBuilder(upload)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)),
                    201);
        }
        byte[] body = JSON.writeValueAsBytes(manifest);
        send(
                HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + tag))
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
                201);
        return sha256(body);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected)
            throws IOException, InterruptedException {
        if (login != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(
                    response.request().method()
                            + " "
                            + response.uri()
                            + ": "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        return response;
    }

    private URI uri(String path) {
        return URI.create("http://" + host + path);
    }

    private static Map<String, Object> descriptor(String mediaType, byte[] content) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("size", content.length);
        descriptor.put("digest", sha256(content));
        return descriptor;
    }

    private static byte[] tarGz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
