package io.sluice.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A Helm chart repository over HTTP, as chart hosts serve them: the packaged charts of a directory
 * and an index.yaml written from their Chart.yaml files (written here, so the server needs no helm
 * binary).
 */
public final class ChartRepositoryServer implements AutoCloseable {
    private final Path charts;
    private final HttpServer server;
    private final byte[] index;

    public ChartRepositoryServer(Path charts) throws IOException {
        this.charts = charts;
        this.index = indexYaml(charts).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String name = exchange.getRequestURI().getPath().substring(1);
                    Path file = charts.resolve(name).normalize();
                    byte[] body =
                            name.equals("index.yaml")
                                    ? index
                                    : file.startsWith(charts)
                                                    && name.endsWith(".tgz")
                                                    && Files.isRegularFile(file)
                                            ? Files.readAllBytes(file)
                                            : null;
                    exchange.sendResponseHeaders(
                            body == null ? 404 : 200, body == null ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        if (body != null) {
                            out.write(body);
                        }
                    }
                });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static String indexYaml(Path charts) throws IOException {
        Map<String, List<Map<String, Object>>> entries = new TreeMap<>();
        try (Stream<Path> files = Files.list(charts)) {
            for (Path archive :
                    files.filter(f -> f.toString().endsWith(".tgz")).sorted().toList()) {
                Map<String, Object> entry = new LinkedHashMap<>(chartYaml(archive));
                entry.put("digest", sha256(archive));
                entry.put("urls", List.of(archive.getFileName().toString()));
                entry.put("created", Instant.EPOCH.toString());
                entries.computeIfAbsent(
                                String.valueOf(entry.get("name")), n -> new java.util.ArrayList<>())
                        .add(entry);
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("apiVersion", "v1");
        index.put("entries", entries);
        index.put("generated", Instant.EPOCH.toString());
        return new Dump(DumpSettings.builder().build()).dumpToString(index);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> chartYaml(Path archive) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().matches("[^/]+/Chart\\.yaml")) {
                    return (Map<String, Object>)
                            new Load(LoadSettings.builder().build())
                                    .loadFromString(
                                            new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        throw new IOException(archive.getFileName() + " has no Chart.yaml");
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in =
                new DigestInputStream(
                        Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
