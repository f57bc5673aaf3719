package io.sluice.render.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories a render unpacks into, removed when it ends. */
public final class WorkDirs {
    private WorkDirs() {}

    /** Deletes the tree; a leftover temporary directory is harmless, so failures are ignored. */
    public static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // nothing to do (a file may also have gone meanwhile): the OS cleans its temporary
            // directory
        }
    }
}
