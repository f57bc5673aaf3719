package io.sluice.local.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as an OCI image-layout tarball (what deploy/images/build writes): its reference, its
 * configuration, and its layers unpacked into a root filesystem, as a container runtime would.
 */
public final class OciImage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path tarball;
    private final String reference;
    private final String digest;
    private final JsonNode config;
    private final List<String> layers;

    private OciImage(
            Path tarball, String reference, String digest, JsonNode config, List<String> layers) {
        this.tarball = tarball;
        this.reference = reference;
        this.digest = digest;
        this.config = config;
        this.layers = layers;
    }

    public static OciImage read(Path tarball) throws IOException {
        Map<String, byte[]> small = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getSize() < 1 << 20) {
                    small.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        JsonNode manifestEntry = JSON.readTree(small.get("index.json")).at("/manifests/0");
        String digest = manifestEntry.get("digest").asText();
        JsonNode manifest = JSON.readTree(blob(small, digest, tarball));
        JsonNode config =
                JSON.readTree(blob(small, manifest.at("/config/digest").asText(), tarball));
        List<String> layers = new ArrayList<>();
        manifest.get("layers").forEach(layer -> layers.add(blobName(layer.get("digest").asText())));
        return new OciImage(
                tarball,
                manifestEntry.at("/annotations/org.opencontainers.image.ref.name").asText(),
                digest,
                config.get("config"),
                layers);
    }

    public String reference() {
        return reference;
    }

    public String digest() {
        return digest;
    }

    public List<String> entrypoint() {
        return strings(config.get("Entrypoint"));
    }

    public List<String> cmd() {
        return strings(config.get("Cmd"));
    }

    /** NAME=value, in the image's order. */
    public List<String> environment() {
        return strings(config.get("Env"));
    }

    public String user() {
        return config.path("User").asText("0:0");
    }

    public String workingDirectory() {
        return config.path("WorkingDir").asText("/");
    }

    /** The layers, lowest first, extracted into {@code rootfs} (which must be new or empty). */
    public void unpack(Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        for (String layer : layers) {
            try (TarArchiveInputStream outer =
                    new TarArchiveInputStream(Files.newInputStream(tarball))) {
                for (TarArchiveEntry entry; (entry = outer.getNextEntry()) != null; ) {
                    if (entry.getName().equals(layer)) {
                        extract(new GZIPInputStream(outer), rootfs);
                        break;
                    }
                }
            }
        }
    }

    private static void extract(InputStream gzipped, Path rootfs) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(gzipped);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            Path target = rootfs.resolve(entry.getName().replaceFirst("^/+", "")).normalize();
            if (!target.startsWith(rootfs)) {
                throw new IOException("layer entry outside the root: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private static byte[] blob(Map<String, byte[]> small, String digest, Path tarball)
            throws IOException {
        byte[] blob = small.get(blobName(digest));
        if (blob == null) {
            throw new IOException(tarball + " has no blob " + digest);
        }
        return blob;
    }

    private static String blobName(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
