package io.sluice.source.artifact;

import io.sluice.contracts.source.Artifact;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Content-addressed store of tar.gz artifacts: a file is named by its sha256, so equal content is
 * stored once. A file's modification time is when it was last stored or adopted; {@link #collect}
 * deletes old ones no status names. The three are serialized, so a file is never deleted just as it
 * is stored or adopted again.
 */
public final class ArtifactStore {
    private static final String SUFFIX = ".tar.gz";
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{64}\\.tar\\.gz");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private final Path root;

    /** When {@link #collect} first found each file that no status named (since this start). */
    private final Map<String, Instant> unnamedSince = new HashMap<>();

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
            synchronized (this) {
                Files.move(
                        temp,
                        root.resolve(fileName),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            return new StoredArtifact(
                    "sha256:" + hex, fileName, Files.size(root.resolve(fileName)));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public boolean has(String digest) {
        return isDigest(digest) && Files.isRegularFile(root.resolve(fileNameOf(digest)));
    }

    /** A digest as this store names files by: {@code sha256:<64 hex digits>}. */
    public static boolean isDigest(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /** The file name of a {@link #isDigest digest}. */
    public static String fileNameOf(String digest) {
        return digest.substring("sha256:".length()) + SUFFIX;
    }

    /**
     * Keeps {@code artifact} when this store holds its file, pointing its url here: an artifact
     * recorded by another store (source-controller's, before a migration) may have the same
     * content, and so the same digest, while its url names a server that is gone.
     *
     * @return false when the file is not here, and the artifact must be built again
     */
    public synchronized boolean adopt(Artifact artifact, String artifactBaseUrl) {
        if (artifact == null || !has(artifact.digest)) {
            return false;
        }
        String fileName = fileNameOf(artifact.digest);
        try {
            Files.setLastModifiedTime(root.resolve(fileName), FileTime.from(Instant.now()));
        } catch (IOException e) {
            return false;
        }
        artifact.url = urlOf(fileName, artifactBaseUrl);
        return true;
    }

    /**
     * Deletes every stored file that {@code kept} (digests) has not named for {@code keptFor}, at
     * this call and earlier ones, and that was last stored or adopted longer than {@code keptFor}
     * ago: a render may still be fetching an artifact that a newer one just replaced.
     *
     * @return how many were deleted
     */
    public int collect(Set<String> kept, Duration keptFor) throws IOException {
        return collect(kept, keptFor, Instant.now());
    }

    synchronized int collect(Set<String> kept, Duration keptFor, Instant now) throws IOException {
        Instant before = now.minus(keptFor);
        Set<String> present = new HashSet<>();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!isStoredName(name)) {
                    continue;
                }
                String digest = digestOf(name);
                present.add(digest);
                if (kept.contains(digest)) {
                    unnamedSince.remove(digest);
                    continue;
                }
                Instant unnamed = unnamedSince.computeIfAbsent(digest, d -> now);
                if (unnamed.isBefore(before)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(before)
                        && Files.deleteIfExists(file)) {
                    unnamedSince.remove(digest);
                    deleted++;
                }
            }
        }
        unnamedSince.keySet().retainAll(present);
        return deleted;
    }

    /** Whether a name is one this store gives files: {@code <sha256>.tar.gz}. */
    public static boolean isStoredName(String fileName) {
        return fileName != null && STORED_NAME.matcher(fileName).matches();
    }

    /** The digest of a {@link #isStoredName stored name}. */
    public static String digestOf(String fileName) {
        return "sha256:" + fileName.substring(0, fileName.length() - SUFFIX.length());
    }

    /** Where render-service fetches the file {@code fileName} of this store. */
    public static String urlOf(String fileName, String artifactBaseUrl) {
        return artifactBaseUrl + "/artifacts/" + fileName;
    }

    /** The file for a name as served over HTTP; only names the store itself made resolve. */
    public Optional<Path> file(String fileName) {
        if (!isStoredName(fileName)) {
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
