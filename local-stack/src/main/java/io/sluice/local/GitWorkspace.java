package io.sluice.local;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Signer;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.URIish;

/**
 * A working copy that commits and pushes to a repository on the {@link GitServer}, as a developer
 * would.
 */
public final class GitWorkspace implements AutoCloseable {
    private final Git git;
    private final Path dir;

    private GitWorkspace(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    public static GitWorkspace init(Path dir, String remoteUrl)
            throws GitAPIException, URISyntaxException {
        Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
        git.remoteAdd().setName("origin").setUri(new URIish(remoteUrl)).call();
        return new GitWorkspace(git, dir);
    }

    /** Copies a directory tree (such as the sample repository) into the working copy. */
    public GitWorkspace copyFrom(Path source) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return this;
    }

    public GitWorkspace write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public GitWorkspace delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        return this;
    }

    /** Commits everything and pushes to main; returns the new commit's sha. */
    public String commitAndPush(String message) throws GitAPIException {
        return commitAndPush(message, null);
    }

    /**
     * Commits everything, signed by {@code signer} (as {@code git commit -S}) unless null, and
     * pushes to main; returns the new commit's sha.
     */
    public String commitAndPush(String message, Signer signer) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        RevCommit commit =
                git.commit()
                        .setMessage(message)
                        .setAuthor("Sluice", "sluice@example.com")
                        .setCommitter("Sluice", "sluice@example.com")
                        .setSign(signer != null)
                        .setSigner(signer)
                        .call();
        git.push().setRemote("origin").add("main").call();
        return commit.getName();
    }

    /** Tags the last commit with an annotated tag signed by {@code signer}; returns its sha. */
    public String signedTagAndPush(String tag, Signer signer) throws GitAPIException {
        Ref ref =
                git.tag()
                        .setName(tag)
                        .setMessage(tag)
                        .setTagger(new PersonIdent("Sluice", "sluice@example.com"))
                        .setSigned(true)
                        .setSigner(signer)
                        .call();
        git.push().setRemote("origin").add("refs/tags/" + tag).call();
        return ref.getObjectId().getName();
    }

    /**
     * Adds the repository at {@code url} as a submodule at {@code path} (its default branch's
     * head), recorded in {@code .gitmodules} with {@code recordedUrl} (a relative one, say).
     */
    public GitWorkspace addSubmodule(String path, String url, String recordedUrl)
            throws GitAPIException, IOException {
        git.submoduleAdd().setPath(path).setURI(url).call().close();
        Files.writeString(
                dir.resolve(".gitmodules"),
                "[submodule \""
                        + path
                        + "\"]\n\tpath = "
                        + path
                        + "\n\turl = "
                        + recordedUrl
                        + "\n");
        return this;
    }

    /** Tags the last commit and pushes the tag. */
    public GitWorkspace tagAndPush(String tag) throws GitAPIException {
        git.tag().setName(tag).call();
        git.push().setRemote("origin").add("refs/tags/" + tag).call();
        return this;
    }

    @Override
    public void close() throws IOException {
        git.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
