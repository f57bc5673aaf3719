package io.sluice.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory tree as one image layer, the same bytes on every machine: entries in path order,
 * owned by root, dated as Jib dates them (1970-01-01T00:00:01Z), and modes reduced to 755 or 644 by
 * whether the owner may execute, so a builder's umask never changes a digest.
 */
final class DirectoryLayer {
    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");
    private static final FilePermissions WRITABLE = FilePermissions.fromOctalString("777");
    private static final AbsoluteUnixPath TMP = AbsoluteUnixPath.get("/tmp");

    private DirectoryLayer() {}

    /** {@code source}'s contents (not itself) under {@code target}, links followed. */
    static FileEntriesLayer of(String name, Path source, AbsoluteUnixPath target) {
        return of(name, source, target, path -> true);
    }

    /** As above, with only the top-level entries {@code include} accepts (and all below them). */
    static FileEntriesLayer of(
            String name,
            Path source,
            AbsoluteUnixPath target,
            java.util.function.Predicate<Path> include) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> walk = Files.walk(source)) {
            List<Path> paths =
                    walk.filter(path -> !path.equals(source))
                            .filter(path -> include.test(source.relativize(path).getName(0)))
                            .sorted()
                            .toList();
            for (Path path : paths) {
                AbsoluteUnixPath inImage = target.resolve(source.relativize(path).toString());
                FilePermissions mode =
                        inImage.equals(TMP)
                                ? WRITABLE
                                : Files.isDirectory(path) || isExecutable(path)
                                        ? EXECUTABLE
                                        : READABLE;
                layer.addEntry(path, inImage, mode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return layer.build();
    }

    /** One file as {@code target}, executable. */
    static FileEntriesLayer file(String name, Path source, AbsoluteUnixPath target) {
        return FileEntriesLayer.builder()
                .setName(name)
                .addEntry(source, target, EXECUTABLE)
                .build();
    }

    private static boolean isExecutable(Path path) throws IOException {
        return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_EXECUTE);
    }
}
