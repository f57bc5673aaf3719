package io.sluice.source.oci;

import io.sluice.source.artifact.SourceIgnore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * An OCIRepository's layer made into its artifact, as source-controller does it: {@code extract}
 * (the default) unpacks the gzipped tarball and archives its regular files again (no links, what
 * {@code .sourceignore} files and {@code spec.ignore} exclude left out, owner and times cleared, so
 * the same layer and rules give the same bytes); {@code copy} stores the layer as it is.
 */
final class LayerArchiver {
    static final String EXTRACT = "extract";
    static final String COPY = "copy";

    private LayerArchiver() {}

    static void write(Path layer, String operation, String specIgnore, OutputStream out)
            throws OciException, IOException {
        if (COPY.equals(operation)) {
            Files.copy(layer, out);
            return;
        }
        Map<String, String> ignoreFiles = new HashMap<>();
        try (TarArchiveInputStream tar = open(layer)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = name(e);
                if (e.isFile()
                        && path != null
                        && (path.equals(SourceIgnore.FILE)
                                || path.endsWith("/" + SourceIgnore.FILE))) {
                    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
                    ignoreFiles.put(dir, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        SourceIgnore ignore = new SourceIgnore(ignoreFiles, specIgnore);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        try (TarArchiveInputStream tar = open(layer);
                TarArchiveOutputStream archive = new TarArchiveOutputStream(gzip)) {
            archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String path = name(e);
                if (!e.isFile() || path == null || ignore.ignored(path)) {
                    continue;
                }
                TarArchiveEntry kept = new TarArchiveEntry(path);
                kept.setSize(e.getSize());
                kept.setMode((e.getMode() & 0100) != 0 ? 0755 : 0644);
                kept.setModTime(0);
                archive.putArchiveEntry(kept);
                tar.transferTo(archive);
                archive.closeArchiveEntry();
            }
            archive.finish();
        }
    }

    private static TarArchiveInputStream open(Path layer) throws OciException, IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(layer));
        try {
            return new TarArchiveInputStream(new GzipCompressorInputStream(in));
        } catch (IOException e) {
            in.close();
            throw new OciException(
                    "OCIArtifactLayerOperationFailed",
                    "failed to extract layer contents from artifact: requires gzip-compressed body: "
                            + e.getMessage());
        }
    }

    /** The entry's path inside the artifact; null for one that would leave it. */
    private static String name(TarArchiveEntry entry) {
        String path = entry.getName().replaceFirst("^(\\./)+", "").replaceFirst("^/+", "");
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return null;
            }
        }
        return path.isEmpty() ? null : path;
    }
}
