package io.sluice.source.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
         * Where an entry of the artifact goes: under {@code toPath} if it is under {@code
         * fromPath}; null if it is not, or if its path leaves its root.
         */
        String moved(String entry) {
            String path = clean(entry);
            String from = clean(fromPath);
            String to = clean(toPath);
            if (path == null || from == null || to == null || to.isEmpty()) {
                return null;
            }
            String rel =
                    from.isEmpty()
                            ? path
                            : path.startsWith(from + "/")
                                    ? path.substring(from.length() + 1)
                                    : null;
            return rel == null || rel.isEmpty() ? null : to + "/" + rel;
        }
    }

    /**
     * A relative path without {@code .} or empty segments; null when a segment is {@code ..} (it
     * would leave the archive's root, which source-controller's secure join refuses too).
     */
    static String clean(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : (path == null ? "" : path.replace('\\', '/')).split("/")) {
            if (segment.equals("..")) {
                return null;
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
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
                        // regular files only: links and devices are not carried over
                        String moved =
                                entry.isFile()
                                                && !entry.isLink()
                                                && !entry.isSymbolicLink()
                                                && !entry.isCharacterDevice()
                                                && !entry.isBlockDevice()
                                                && !entry.isFIFO()
                                        ? addition.moved(entry.getName())
                                        : null;
                        if (moved == null || ignored.test(moved)) {
                            continue;
                        }
                        TarArchiveEntry copy = new TarArchiveEntry(moved);
                        copy.setSize(entry.getSize());
                        copy.setMode(entry.getMode());
                        copy.setModTime(time == null ? new Date(0) : time);
                        // no owner of this machine's: the same inputs give the same bytes
                        copy.setUserName("");
                        copy.setGroupName("");
                        copy.setUserId(0);
                        copy.setGroupId(0);
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
