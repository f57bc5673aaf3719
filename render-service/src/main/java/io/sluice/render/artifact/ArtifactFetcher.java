package io.sluice.render.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Downloads an artifact, checks its sha256 against the digest source-service announced, and unpacks
 * it. An entry or link that would land outside the destination is refused, so nothing in a
 * repository can reach the host. The last few verified archives are kept by digest: the
 * Kustomizations of one repository share one artifact, and it is downloaded once, not once per
 * Kustomization.
 */
public final class ArtifactFetcher {
    private static final int CACHED_ARCHIVES = 8;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Path> verified = new LinkedHashMap<>(16, 0.75f, true);

    public void fetchInto(String url, String digest, Path destination)
            throws IOException, InterruptedException {
        unpack(archive(url, digest), destination);
    }

    /** Copies the artifact as it is (a chart archive stays packed), checked against its digest. */
    public void download(String url, String digest, Path file)
            throws IOException, InterruptedException {
        Files.copy(archive(url, digest), file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The verified archive for a digest, downloaded unless it is cached. */
    private synchronized Path archive(String url, String digest)
            throws IOException, InterruptedException {
        Path cached = verified.get(digest);
        if (cached != null && Files.isRegularFile(cached)) {
            return cached;
        }
        Path file = Files.createTempFile("artifact-", ".tar.gz");
        try {
            fetch(url, digest, file);
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        verified.put(digest, file);
        if (verified.size() > CACHED_ARCHIVES) {
            var eldest = verified.entrySet().iterator().next();
            Files.deleteIfExists(eldest.getValue());
            verified.remove(eldest.getKey());
        }
        return file;
    }

    private void fetch(String url, String digest, Path file)
            throws IOException, InterruptedException {
        HttpResponse<Path> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofMinutes(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        String actual = sha256(file);
        if (!actual.equals(digest)) {
            throw new IOException(
                    "artifact " + url + " has digest " + actual + ", expected " + digest);
        }
    }

    /**
     * Unpacks a tar.gz, refusing any entry or link that would land outside {@code destination}:
     * every entry's directory is checked as it is on disk (links resolved), so a chain of links
     * that each look inside cannot carry a later entry out; and once unpacked, every link must
     * resolve inside, and a link to nothing is dropped (reading it fails anyway, and writing
     * through it, as a generated kustomization file would, must not create its target). The JDK's
     * gzip reader, because Helm writes a gzip extra field that commons-compress rejects as
     * malformed.
     */
    public static void unpack(Path archive, Path destination) throws IOException {
        Path root = Files.createDirectories(destination).toRealPath();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = inside(root, root.resolve(entry.getName()), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    inside(root, target.toRealPath(), entry.getName());
                } else if (entry.isSymbolicLink()) {
                    Path parent = directory(root, target, entry.getName());
                    inside(
                            root,
                            parent.resolve(entry.getLinkName()),
                            entry.getName() + " -> " + entry.getLinkName());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    directory(root, target, entry.getName());
                    Files.copy(tar, target);
                }
            }
        }
        checkLinks(root);
    }

    /** The entry's directory, created, as it is on disk: refused when it is outside the root. */
    private static Path directory(Path root, Path target, String name) throws IOException {
        Files.createDirectories(target.getParent());
        return inside(root, target.getParent().toRealPath(), name);
    }

    private static void checkLinks(Path root) throws IOException {
        List<Path> links;
        try (Stream<Path> walk = Files.walk(root)) {
            links = walk.filter(Files::isSymbolicLink).toList();
        }
        for (Path link : links) {
            Path real;
            try {
                real = link.toRealPath();
            } catch (NoSuchFileException dangling) {
                Files.delete(link);
                continue;
            }
            inside(root, real, root.relativize(link) + " -> " + Files.readSymbolicLink(link));
        }
    }

    private static Path inside(Path root, Path candidate, String name) throws IOException {
        Path normalized = candidate.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("artifact entry '" + name + "' points outside the artifact root");
        }
        return normalized;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in =
                new DigestInputStream(
                        Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
