package io.sluice.source.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.archive.ArchiveFormats;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Writes the tree of a commit as tar.gz straight from the Git object store (no checkout, no {@code
 * .git}). Entry times come from the commit, so the same commit always gives the same bytes and the
 * same digest.
 */
public final class TreeArchiver {
    static {
        ArchiveFormats.registerAll();
    }

    public void write(Path repository, ObjectId commit, OutputStream out) throws IOException {
        try (Git git = Git.open(repository.toFile())) {
            git.archive().setTree(commit).setFormat("tgz").setOutputStream(out).call();
        } catch (GitAPIException e) {
            throw new IOException(
                    "cannot archive commit " + commit.name() + ": " + e.getMessage(), e);
        }
    }
}
