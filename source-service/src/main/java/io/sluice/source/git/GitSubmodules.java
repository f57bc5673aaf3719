package io.sluice.source.git;

import io.sluice.source.artifact.ArchiveComposer;
import io.sluice.source.artifact.TreeArchiver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code recurseSubmodules}: each submodule of a commit (a gitlink, and its {@code .gitmodules}
 * entry), fetched with the parent's credentials into a mirror of its own and archived at the commit
 * the parent records, under its path, nested ones too, as source-controller's checkout with
 * submodules brings them. A relative URL is resolved against the parent's.
 */
final class GitSubmodules {
    private static final int MAX_DEPTH = 10;

    private final GitFetcher fetcher;
    private final TreeArchiver archiver;

    GitSubmodules(GitFetcher fetcher, TreeArchiver archiver) {
        this.fetcher = fetcher;
        this.archiver = archiver;
    }

    /**
     * The archives of {@code commit}'s submodules, written into {@code workDir}, as additions to
     * its own archive.
     */
    List<ArchiveComposer.Addition> archives(
            Path mirror,
            ObjectId commit,
            String url,
            String mirrorPrefix,
            GitAuth auth,
            Duration timeout,
            Path workDir)
            throws GitFetchException, IOException {
        return archives(mirror, commit, url, mirrorPrefix, auth, timeout, workDir, 0);
    }

    private List<ArchiveComposer.Addition> archives(
            Path mirror,
            ObjectId commit,
            String url,
            String mirrorPrefix,
            GitAuth auth,
            Duration timeout,
            Path workDir,
            int depth)
            throws GitFetchException, IOException {
        Map<String, ObjectId> gitlinks = new LinkedHashMap<>();
        Config modules = new Config();
        try (Git git = Git.open(mirror.toFile());
                RevWalk revWalk = new RevWalk(git.getRepository());
                TreeWalk walk = new TreeWalk(git.getRepository())) {
            Repository repository = git.getRepository();
            walk.addTree(revWalk.parseCommit(commit).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getFileMode(0) == FileMode.GITLINK) {
                    gitlinks.put(walk.getPathString(), walk.getObjectId(0));
                } else if (".gitmodules".equals(walk.getPathString())) {
                    modules.fromText(
                            new String(
                                    repository.open(walk.getObjectId(0)).getBytes(),
                                    StandardCharsets.UTF_8));
                }
            }
        } catch (ConfigInvalidException e) {
            throw new GitFetchException("invalid .gitmodules: " + e.getMessage(), e);
        }
        if (gitlinks.isEmpty()) {
            return List.of();
        }
        if (depth >= MAX_DEPTH) {
            throw new GitFetchException(
                    "submodules nested deeper than " + MAX_DEPTH + " levels", null);
        }
        List<ArchiveComposer.Addition> additions = new ArrayList<>();
        for (Map.Entry<String, ObjectId> gitlink : gitlinks.entrySet()) {
            String path = gitlink.getKey();
            String subUrl = url(modules, path, url);
            String subMirror = mirrorPrefix + "/modules/" + hex(path);
            Path subMirrorDir =
                    fetcher.fetchCommit(subMirror, subUrl, gitlink.getValue(), auth, timeout);
            List<ArchiveComposer.Addition> nested =
                    archives(
                            subMirrorDir,
                            gitlink.getValue(),
                            subUrl,
                            subMirror,
                            auth,
                            timeout,
                            workDir,
                            depth + 1);
            Path archive = Files.createTempFile(workDir, "submodule-", ".tar.gz");
            try (OutputStream out = Files.newOutputStream(archive)) {
                // as in Flux's checkout, the submodule's files pass the parent's ignore rules
                // only (when its archive is added), not rules of their own
                archiver.writeEverything(subMirrorDir, gitlink.getValue(), nested, out);
            }
            additions.add(new ArchiveComposer.Addition(path, archive, "", path));
        }
        return additions;
    }

    /** The submodule's URL from {@code .gitmodules}, relative ones against the parent's. */
    static String url(Config modules, String path, String parentUrl) throws GitFetchException {
        for (String name : modules.getSubsections("submodule")) {
            if (path.equals(modules.getString("submodule", name, "path"))) {
                String url = modules.getString("submodule", name, "url");
                if (url == null || url.isEmpty()) {
                    break;
                }
                return resolve(parentUrl, url);
            }
        }
        throw new GitFetchException("no URL for submodule '" + path + "' in .gitmodules", null);
    }

    /** As Git resolves {@code ../x.git} and {@code ./x} against the superproject's URL. */
    static String resolve(String parentUrl, String url) {
        if (!url.startsWith("./") && !url.startsWith("../")) {
            return url;
        }
        String base = parentUrl.replaceAll("/+$", "");
        String rest = url;
        while (rest.startsWith("./") || rest.startsWith("../")) {
            if (rest.startsWith("./")) {
                rest = rest.substring(2);
            } else {
                base = base.substring(0, Math.max(base.lastIndexOf('/'), 0));
                rest = rest.substring(3);
            }
        }
        return base + "/" + rest;
    }

    private static String hex(String path) {
        return HexFormat.of().formatHex(path.getBytes(StandardCharsets.UTF_8));
    }
}
