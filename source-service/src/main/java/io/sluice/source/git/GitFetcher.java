package io.sluice.source.git;

import io.sluice.contracts.source.GitRepositoryRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Fetches one ref of a remote into a bare mirror kept per GitRepository, so later polls transfer
 * only new objects, and resolves it to a commit with Flux's precedence (commit, name, tag, semver,
 * branch; {@code master} when no ref is given).
 */
public final class GitFetcher {
    private final Path mirrors;

    public GitFetcher(Path mirrors) {
        this.mirrors = mirrors;
    }

    public FetchedRevision fetch(
            String mirrorName, String url, GitRepositoryRef ref, GitAuth auth, Duration timeout)
            throws GitFetchException {
        GitRepositoryRef wanted = ref == null ? new GitRepositoryRef() : ref;
        try (Git git = openMirror(mirrorName)) {
            git.fetch()
                    .setRemote(GitAuth.withDefaultUser(url))
                    .setRefSpecs(refSpecs(wanted))
                    .setTransportConfigCallback(auth)
                    .setTimeout((int) Math.max(1, timeout.toSeconds()))
                    .setForceUpdate(true)
                    // as Flux's fresh clone sees it: a tag deleted upstream is gone here too
                    .setRemoveDeletedRefs(true)
                    .call();
            return resolve(git.getRepository(), wanted);
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitFetchException(
                    "failed to fetch "
                            + describe(wanted)
                            + " from '"
                            + url
                            + "': "
                            + (auth == null
                                    ? rootMessage(e)
                                    : auth.hostKeyRefusal().orElseGet(() -> rootMessage(e))),
                    e);
        }
    }

    /**
     * Makes sure {@code commit} (a submodule's, recorded by its superproject) is in the mirror
     * named {@code mirrorName}: its branches and tags are fetched, and the commit itself when none
     * of them holds it; returns the mirror's directory.
     */
    public Path fetchCommit(
            String mirrorName, String url, ObjectId commit, GitAuth auth, Duration timeout)
            throws GitFetchException {
        try (Git git = openMirror(mirrorName)) {
            if (!git.getRepository().getObjectDatabase().has(commit)) {
                git.fetch()
                        .setRemote(GitAuth.withDefaultUser(url))
                        .setRefSpecs(
                                new RefSpec("+refs/heads/*:refs/heads/*"),
                                new RefSpec("+refs/tags/*:refs/tags/*"))
                        .setTransportConfigCallback(auth)
                        .setTimeout((int) Math.max(1, timeout.toSeconds()))
                        .setForceUpdate(true)
                        .call();
            }
            if (!git.getRepository().getObjectDatabase().has(commit)) {
                git.fetch()
                        .setRemote(GitAuth.withDefaultUser(url))
                        .setRefSpecs(new RefSpec(commit.name() + ":refs/sluice/submodule"))
                        .setTransportConfigCallback(auth)
                        .setTimeout((int) Math.max(1, timeout.toSeconds()))
                        .call();
            }
            return mirrors.resolve(mirrorName);
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitFetchException(
                    "failed to fetch submodule commit '"
                            + commit.name()
                            + "' from '"
                            + url
                            + "': "
                            + (auth == null
                                    ? rootMessage(e)
                                    : auth.hostKeyRefusal().orElseGet(() -> rootMessage(e))),
                    e);
        }
    }

    private Git openMirror(String mirrorName) throws GitAPIException, IOException {
        Path dir = mirrors.resolve(mirrorName);
        if (Files.isDirectory(dir.resolve("objects"))) {
            return Git.open(dir.toFile());
        }
        Files.createDirectories(dir);
        return Git.init().setBare(true).setDirectory(dir.toFile()).call();
    }

    private static List<RefSpec> refSpecs(GitRepositoryRef ref) {
        if (ref.commit != null || ref.name != null) {
            return List.of(
                    new RefSpec("+refs/heads/*:refs/heads/*"),
                    new RefSpec("+refs/tags/*:refs/tags/*"));
        }
        if (ref.tag == null && semver(ref)) {
            return List.of(new RefSpec("+refs/tags/*:refs/tags/*"));
        }
        if (ref.tag != null) {
            return List.of(new RefSpec("+refs/tags/" + ref.tag + ":refs/tags/" + ref.tag));
        }
        String branch = branch(ref);
        return List.of(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch));
    }

    private static FetchedRevision resolve(Repository repo, GitRepositoryRef ref)
            throws IOException, GitFetchException {
        if (ref.commit != null) {
            ObjectId commit = peel(repo, repo.resolve(ref.commit), "commit '" + ref.commit + "'");
            String prefix = ref.branch != null ? ref.branch + "@" : "";
            return new FetchedRevision(prefix + "sha1:" + commit.name(), commit, null);
        }
        if (ref.name != null) {
            ObjectId commit = peel(repo, repo.resolve(ref.name), "ref '" + ref.name + "'");
            return new FetchedRevision(ref.name + "@sha1:" + commit.name(), commit, null);
        }
        if (ref.tag != null) {
            ObjectId commit =
                    peel(repo, repo.resolve("refs/tags/" + ref.tag), "tag '" + ref.tag + "'");
            return new FetchedRevision(ref.tag + "@sha1:" + commit.name(), commit, ref.tag);
        }
        if (semver(ref)) {
            Map<String, Instant> tags = new HashMap<>();
            try (RevWalk walk = new RevWalk(repo)) {
                for (Ref tag : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                    RevCommit commit = walk.parseCommit(tag.getObjectId());
                    tags.put(
                            tag.getName().substring(Constants.R_TAGS.length()),
                            commit.getCommitterIdent().getWhenAsInstant());
                }
            }
            String tag =
                    SemverTags.highest(ref.semver, tags)
                            .orElseThrow(
                                    () ->
                                            new GitFetchException(
                                                    "no match found for semver: " + ref.semver));
            ObjectId commit = peel(repo, repo.resolve(Constants.R_TAGS + tag), "tag '" + tag + "'");
            return new FetchedRevision(tag + "@sha1:" + commit.name(), commit, tag);
        }
        String branch = branch(ref);
        ObjectId commit =
                peel(repo, repo.resolve("refs/heads/" + branch), "branch '" + branch + "'");
        return new FetchedRevision(branch + "@sha1:" + commit.name(), commit, null);
    }

    private static ObjectId peel(Repository repo, ObjectId id, String what)
            throws IOException, GitFetchException {
        if (id == null) {
            throw new GitFetchException(what + " not found");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(id);
            return commit.getId();
        }
    }

    /** As Flux: an empty {@code semver} is no constraint. */
    private static boolean semver(GitRepositoryRef ref) {
        return ref.semver != null && !ref.semver.isEmpty();
    }

    private static String branch(GitRepositoryRef ref) {
        return ref.branch != null ? ref.branch : "master";
    }

    private static String describe(GitRepositoryRef ref) {
        if (ref.commit != null) return "commit '" + ref.commit + "'";
        if (ref.name != null) return "ref '" + ref.name + "'";
        if (ref.tag == null && semver(ref)) return "semver '" + ref.semver + "'";
        if (ref.tag != null) return "tag '" + ref.tag + "'";
        return "branch '" + branch(ref) + "'";
    }

    private static String rootMessage(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String message = String.valueOf(c.getMessage());
            if (message.contains("Authentication is required")
                    || message.contains("not authorized")) {
                // JGit's words for a 401 blame a missing credentials provider, even when a token
                // was sent; go-git's (Flux's) say what happened
                return "authentication required";
            }
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e
                ? String.valueOf(e.getMessage())
                : e.getMessage() + " (" + t.getMessage() + ")";
    }
}
