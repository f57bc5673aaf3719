package io.sluice.source.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangedPathsTest {

    @Test
    void theFilesACommitAddedChangedOrDeletedSinceThePreviousRevision(@TempDir Path dir)
            throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            write(dir, "apps/a/objects.yaml", "a");
            write(dir, "apps/b/objects.yaml", "b");
            write(dir, "apps/c/objects.yaml", "c");
            ObjectId first = commit(git);
            write(dir, "apps/a/objects.yaml", "a2");
            write(dir, "apps/d/objects.yaml", "d");
            Files.delete(dir.resolve("apps/c/objects.yaml"));
            ObjectId second = commit(git);

            assertEquals(
                    List.of("apps/a/objects.yaml", "apps/c/objects.yaml", "apps/d/objects.yaml"),
                    ChangedPaths.between(dir, "main@sha1:" + first.name(), second));
            assertNull(ChangedPaths.between(dir, null, second), "no previous revision");
            assertNull(
                    ChangedPaths.between(dir, "main@sha1:" + "0".repeat(39) + "1", second),
                    "a commit the mirror lacks");
        }
    }

    private static void write(Path dir, String path, String content) throws Exception {
        Files.createDirectories(dir.resolve(path).getParent());
        Files.writeString(dir.resolve(path), content);
    }

    private static ObjectId commit(Git git) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage("c").setSign(false).call().getId();
    }
}
