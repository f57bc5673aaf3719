package io.sluice.source.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Adds other artifacts' files to an archive, as source-controller's {@code include} copies an
 * artifact's (sub)directory into the checkout before it archives it: each regular file under {@code
 * fromPath} moves under {@code toPath}, and passes the same ignore rules as the archive's own
 * files. Entry times are the base archive's, so the same inputs give the same bytes.
 */
public final class ArchiveComposer {
    private ArchiveComposer() {}

    /** One artifact's (sub)directory, and where it goes. */
    public record Addition(String name, Path artifact, String fromPath, String toPath) {
        /**
         * A path of the artifact's, relative and without {@code ./}, or null if not under fromPath.
         */
        String moved(String entry) {
            String path = clean(entry);
            String from = clean(fromPath);
            String rel =
                    from.isEmpty()
                            ? path
                            : path.equals(from)
                                    ? ""
                                    : path.startsWith(from + "/")
                                            ? path.substring(from.length() + 1)
                                            : null;
            return rel == null || rel.isEmpty() ? null : clean(toPath) + "/" + rel;
        }
    }

    static String clean(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.startsWith("./") ? p.substring(2) : p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    static void compose(
            byte[] base, List<Addition> additions, Predicate<String> ignored, OutputStream out)
            throws IOException {
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Date time = null;
            try (TarArchiveInputStream in = open(new ByteArrayInputStream(base))) {
                for (TarArchiveEntry entry = in.getNextEntry();
                        entry != null;
                        entry = in.getNextEntry()) {
                    time = time == null ? entry.getModTime() : time;
                    tar.putArchiveEntry(entry);
                    in.transferTo(tar);
                    tar.closeArchiveEntry();
                }
            }
            for (Addition addition : additions) {
                try (TarArchiveInputStream in = open(Files.newInputStream(addition.artifact()))) {
                    for (TarArchiveEntry entry = in.getNextEntry();
                            entry != null;
                            entry = in.getNextEntry()) {
                        String moved = entry.isFile() ? addition.moved(entry.getName()) : null;
                        if (moved == null || ignored.test(moved)) {
                            continue;
                        }
                        TarArchiveEntry copy = new TarArchiveEntry(moved);
                        copy.setSize(entry.getSize());
                        copy.setMode(entry.getMode());
                        copy.setModTime(time == null ? new Date(0) : time);
                        tar.putArchiveEntry(copy);
                        in.transferTo(tar);
                        tar.closeArchiveEntry();
                    }
                }
            }
            tar.finish();
        }
    }

    private static TarArchiveInputStream open(InputStream gzip) throws IOException {
        return new TarArchiveInputStream(new GzipCompressorInputStream(gzip));
    }
}
