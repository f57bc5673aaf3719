package io.sluice.source.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The files a new commit changed since the revision last stored, from the mirror: render-service
 * renders the Kustomizations whose path holds one of them first, so a commit to one app of many is
 * applied first. Only a hint for that order (what the artifact holds also depends on {@code
 * ignore}, includes and submodules): null when it cannot be told cheaply (no previous revision, a
 * commit the mirror lacks, more than {@link #LIMIT} files).
 */
final class ChangedPaths {
    static final int LIMIT = 1000;

    private ChangedPaths() {}

    /**
     * {@code previousRevision} as Flux writes it, {@code main@sha1:<sha>} (or {@code sha1:<sha>}).
     */
    static List<String> between(Path mirror, String previousRevision, ObjectId commit) {
        int sha = previousRevision == null ? -1 : previousRevision.lastIndexOf("sha1:");
        if (sha < 0) {
            return null;
        }
        try (Git git = Git.open(mirror.toFile());
                RevWalk commits = new RevWalk(git.getRepository());
                TreeWalk files = new TreeWalk(git.getRepository())) {
            ObjectId previous = ObjectId.fromString(previousRevision.substring(sha + 5));
            files.addTree(commits.parseCommit(previous).getTree());
            files.addTree(commits.parseCommit(commit).getTree());
            files.setRecursive(true);
            files.setFilter(TreeFilter.ANY_DIFF);
            List<String> paths = new ArrayList<>();
            while (files.next()) {
                if (paths.size() == LIMIT) {
                    return null;
                }
                paths.add(files.getPathString());
            }
            return paths;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
