package io.sluice.source.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.archive.ArchiveFormats;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tree of a commit as tar.gz straight from the Git object store (no checkout, no {@code
 * .git}), leaving out what {@link SourceIgnore} excludes and, as Flux's archiver, anything that is
 * not a regular file (symbolic links, submodules). Entry times come from the commit, so the same
 * commit and ignore rules always give the same bytes and the same digest.
 */
public final class TreeArchiver {
    /** A path no Git tree holds: archiving "only it" archives nothing. */
    private static final String NOTHING = ".git/nothing";

    static {
        ArchiveFormats.registerAll();
    }

    /**
     * {@code specIgnore}: the GitRepository's {@code spec.ignore}, or null; {@code includes}: other
     * artifacts' files added (see {@link ArchiveComposer}), each where the commit has no path.
     */
    public void write(
            Path repository,
            ObjectId commit,
            String specIgnore,
            List<ArchiveComposer.Addition> includes,
            OutputStream out)
            throws IOException {
        write(repository, commit, specIgnore, true, includes, out);
    }

    /** Every regular file of the commit, and {@code includes}, with no ignore rules. */
    public void writeEverything(
            Path repository,
            ObjectId commit,
            List<ArchiveComposer.Addition> includes,
            OutputStream out)
            throws IOException {
        write(repository, commit, null, false, includes, out);
    }

    private void write(
            Path repository,
            ObjectId commit,
            String specIgnore,
            boolean filtered,
            List<ArchiveComposer.Addition> includes,
            OutputStream out)
            throws IOException {
        try (Git git = Git.open(repository.toFile())) {
            Tree tree = tree(git.getRepository(), commit, specIgnore);
            Predicate<String> ignored = filtered ? tree.ignore()::ignored : path -> false;
            for (ArchiveComposer.Addition include : includes) {
                String to = ArchiveComposer.clean(include.toPath());
                if (to == null
                        || to.isEmpty()
                        || ArchiveComposer.clean(include.fromPath()) == null) {
                    // as source-controller's secure join: nothing outside, nor over, the root
                    throw new IOException(
                            "path calculation for include '"
                                    + include.name()
                                    + "' failed: '"
                                    + include.toPath()
                                    + "' is not a directory inside the artifact");
                }
                if (tree.files().stream().anyMatch(f -> f.equals(to) || f.startsWith(to + "/"))) {
                    // as source-controller, whose copy cannot replace what the checkout holds
                    throw new IOException(
                            "failed to copy '"
                                    + include.name()
                                    + "' include from "
                                    + include.fromPath()
                                    + " to "
                                    + include.toPath()
                                    + ": the repository already has "
                                    + to);
                }
            }
            List<String> kept = tree.files().stream().filter(f -> !ignored.test(f)).toList();
            ByteArrayOutputStream own = includes.isEmpty() ? null : new ByteArrayOutputStream();
            git.archive()
                    .setTree(commit)
                    .setFormat("tgz")
                    .setPaths(kept.isEmpty() ? new String[] {NOTHING} : kept.toArray(String[]::new))
                    .setOutputStream(own == null ? out : own)
                    .call();
            if (own != null) {
                ArchiveComposer.compose(own.toByteArray(), includes, ignored, out);
            }
        } catch (GitAPIException e) {
            throw new IOException(
                    "cannot archive commit " + commit.name() + ": " + e.getMessage(), e);
        }
    }

    /** The commit's regular files, and the ignore rules its {@code .sourceignore} files make. */
    private record Tree(List<String> files, SourceIgnore ignore) {}

    private static Tree tree(Repository repository, ObjectId commit, String specIgnore)
            throws IOException {
        List<String> files = new ArrayList<>();
        Map<String, String> ignoreFiles = new HashMap<>();
        try (RevWalk revWalk = new RevWalk(repository);
                TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(revWalk.parseCommit(commit).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue;
                }
                String path = walk.getPathString();
                files.add(path);
                if (SourceIgnore.FILE.equals(walk.getNameString())) {
                    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
                    ignoreFiles.put(
                            dir,
                            new String(
                                    repository.open(walk.getObjectId(0)).getBytes(),
                                    StandardCharsets.UTF_8));
                }
            }
        }
        return new Tree(files, new SourceIgnore(ignoreFiles, specIgnore));
    }
}
