package io.sluice.source.artifact;

import io.sluice.contracts.source.Artifact;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content-addressed store of tar.gz artifacts: a file is named by its sha256, so equal content is
 * stored once.
 */
public final class ArtifactStore {
    private static final String SUFFIX = ".tar.gz";
    private final Path root;

    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public ArtifactStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public StoredArtifact store(Writer writer) throws IOException {
        Path temp = Files.createTempFile(root, "incoming-", ".tmp");
        try {
            MessageDigest sha256 = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
                writer.writeTo(out);
            }
            String hex = HexFormat.of().formatHex(sha256.digest());
            String fileName = hex + SUFFIX;
            Files.move(
                    temp,
                    root.resolve(fileName),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            return new StoredArtifact(
                    "sha256:" + hex, fileName, Files.size(root.resolve(fileName)));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public boolean has(String digest) {
        return digest != null
                && digest.startsWith("sha256:")
                && Files.isRegularFile(root.resolve(digest.substring("sha256:".length()) + SUFFIX));
    }

    /**
     * Keeps {@code artifact} when this store holds its file, pointing its url here: an artifact
     * recorded by another store (source-controller's, before a migration) may have the same
     * content, and so the same digest, while its url names a server that is gone.
     *
     * @return false when the file is not here, and the artifact must be built again
     */
    public boolean adopt(Artifact artifact, String artifactBaseUrl) {
        if (artifact == null || !has(artifact.digest)) {
            return false;
        }
        artifact.url =
                urlOf(artifact.digest.substring("sha256:".length()) + SUFFIX, artifactBaseUrl);
        return true;
    }

    /** Where render-service fetches the file {@code fileName} of this store. */
    public static String urlOf(String fileName, String artifactBaseUrl) {
        return artifactBaseUrl + "/artifacts/" + fileName;
    }

    /** The file for a name as served over HTTP; only names the store itself made resolve. */
    public Optional<Path> file(String fileName) {
        if (!fileName.matches("[0-9a-f]{64}\\.tar\\.gz")) {
            return Optional.empty();
        }
        Path file = root.resolve(fileName);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
