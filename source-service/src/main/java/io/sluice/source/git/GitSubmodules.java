package io.sluice.source.git;

import io.sluice.source.artifact.ArchiveComposer;
import io.sluice.source.artifact.TreeArchiver;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * entry), fetched into a mirror of its own (one per URL) and archived at the commit the parent
 * records, under its path, nested ones too, as source-controller's checkout with submodules brings
 * them. A relative URL is resolved against the parent's, never past its host. Only http(s), ssh and
 * scp-like URLs are followed: never a local path or {@code file://}, as the service's own disk
 * holds other repositories' mirrors. The repository's credentials go only to its own host, and a
 * build follows at most {@value #MAX_SUBMODULES} submodules.
 */
final class GitSubmodules {
    private static final int MAX_DEPTH = 10;
    private static final int MAX_SUBMODULES = 50;

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
        return archives(
                mirror, commit, url, url, mirrorPrefix, auth, timeout, workDir, 0, new int[] {0});
    }

    private List<ArchiveComposer.Addition> archives(
            Path mirror,
            ObjectId commit,
            String url,
            String credentialsUrl,
            String mirrorPrefix,
            GitAuth auth,
            Duration timeout,
            Path workDir,
            int depth,
            int[] followed)
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
            if (++followed[0] > MAX_SUBMODULES) {
                throw new GitFetchException(
                        "more than " + MAX_SUBMODULES + " submodules to fetch", null);
            }
            String path = gitlink.getKey();
            String subUrl = url(modules, path, url);
            String subMirror = mirrorPrefix + "/modules/" + sha256(subUrl);
            GitAuth subAuth = sameHost(credentialsUrl, subUrl) ? auth : null;
            Path subMirrorDir =
                    fetcher.fetchCommit(subMirror, subUrl, gitlink.getValue(), subAuth, timeout);
            List<ArchiveComposer.Addition> nested =
                    archives(
                            subMirrorDir,
                            gitlink.getValue(),
                            subUrl,
                            credentialsUrl,
                            mirrorPrefix,
                            auth,
                            timeout,
                            workDir,
                            depth + 1,
                            followed);
            Path archive = Files.createTempFile(workDir, "submodule-", ".tar.gz");
            try (OutputStream out = Files.newOutputStream(archive)) {
                // the submodule's files pass the parent's ignore rules when its archive is added
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
                String resolved = resolve(parentUrl, url);
                if (!remote(resolved)) {
                    throw new GitFetchException(
                            "submodule '"
                                    + path
                                    + "' URL '"
                                    + url
                                    + "' is refused: only http, https and ssh URLs are followed",
                            null);
                }
                return resolved;
            }
        }
        throw new GitFetchException("no URL for submodule '" + path + "' in .gitmodules", null);
    }

    /**
     * As Git resolves {@code ../x.git} and {@code ./x} against the superproject's URL; never past
     * its host (Git's "cannot strip one component off url").
     */
    static String resolve(String parentUrl, String url) throws GitFetchException {
        if (!url.startsWith("./") && !url.startsWith("../")) {
            return url;
        }
        String trimmed = parentUrl.replaceAll("/+$", "");
        int scheme = trimmed.indexOf("://");
        int pathStart = scheme >= 0 ? trimmed.indexOf('/', scheme + 3) : trimmed.indexOf(':') + 1;
        if (pathStart <= 0) {
            pathStart = trimmed.length();
        }
        String root = trimmed.substring(0, pathStart);
        String base = trimmed.substring(pathStart);
        String rest = url;
        while (rest.startsWith("./") || rest.startsWith("../")) {
            if (rest.startsWith("./")) {
                rest = rest.substring(2);
                continue;
            }
            if (base.isEmpty() || base.equals("/")) {
                throw new GitFetchException(
                        "cannot strip one component off url '" + parentUrl + "'", null);
            }
            base = base.substring(0, Math.max(base.lastIndexOf('/'), 0));
            rest = rest.substring(3);
        }
        String joined = base.isEmpty() || base.endsWith("/") ? base + rest : base + "/" + rest;
        return root + (scheme >= 0 && !joined.startsWith("/") ? "/" : "") + joined;
    }

    /** An http(s), ssh or scp-like URL with a host: nothing on the service's own disk. */
    static boolean remote(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")
                || lower.startsWith("http://")
                || lower.startsWith("ssh://")) {
            String host = host(url);
            return host != null && !host.isEmpty() && !host.startsWith(":");
        }
        // scp-like: [user@]host:path, a colon before any slash
        int colon = url.indexOf(':');
        int slash = url.indexOf('/');
        return !lower.contains("://") && colon > 0 && (slash < 0 || colon < slash);
    }

    /** Whether credentials for {@code parentUrl} may go to {@code url}: same host and port. */
    static boolean sameHost(String parentUrl, String url) {
        String a = host(parentUrl);
        return a != null && a.equalsIgnoreCase(String.valueOf(host(url)));
    }

    /** {@code host[:port]} of a URL, or null. */
    private static String host(String url) {
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            String rest = url.substring(scheme + 3);
            int end = rest.indexOf('/');
            String authority = end < 0 ? rest : rest.substring(0, end);
            return authority.substring(authority.lastIndexOf('@') + 1);
        }
        int colon = url.indexOf(':');
        return colon > 0 ? url.substring(url.indexOf('@') + 1, colon) : null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
