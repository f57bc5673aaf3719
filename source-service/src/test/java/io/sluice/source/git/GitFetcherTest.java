package io.sluice.source.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.contracts.source.GitRepositoryRef;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import io.sluice.source.artifact.TreeArchiver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.resolver.FileResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetches from a real Git server speaking the git:// protocol (JGit's daemon), not from a local
 * path.
 */
class GitFetcherTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    @TempDir Path tmp;
    private Daemon daemon;
    private Git upstream;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        Path served = tmp.resolve("served");
        upstream =
                Git.init()
                        .setDirectory(served.resolve("repo").toFile())
                        .setInitialBranch("main")
                        .call();
        daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.getService("git-upload-pack").setEnabled(true);
        daemon.setRepositoryResolver(new FileResolver<>(served.toFile(), true));
        daemon.start();
        url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/repo";
    }

    @AfterEach
    void stop() {
        daemon.stop();
        upstream.close();
    }

    @Test
    void resolvesBranchTagAndCommitAsFluxWritesRevisions() throws Exception {
        RevCommit first = commit("app.yaml", "a: 1\n");
        upstream.tag().setName("v1.0.0").setAnnotated(true).setMessage("release").call();
        RevCommit second = commit("app.yaml", "a: 2\n");
        GitFetcher fetcher = new GitFetcher(tmp.resolve("mirrors"));

        assertThat(
                        fetcher.fetch(
                                        "ns/branch",
                                        url,
                                        ref(r -> r.branch = "main"),
                                        null,
                                        Duration.ofSeconds(10))
                                .revision())
                .isEqualTo("main@sha1:" + second.name());
        assertThat(
                        fetcher.fetch(
                                        "ns/tag",
                                        url,
                                        ref(r -> r.tag = "v1.0.0"),
                                        null,
                                        Duration.ofSeconds(10))
                                .revision())
                .isEqualTo("v1.0.0@sha1:" + first.name());
        assertThat(
                        fetcher.fetch(
                                        "ns/commit",
                                        url,
                                        ref(r -> r.commit = first.name()),
                                        null,
                                        Duration.ofSeconds(10))
                                .revision())
                .isEqualTo("sha1:" + first.name());
    }

    @Test
    void semverPicksTheHighestMatchingTagOverAHigherPreReleaseAndAHigherMajor() throws Exception {
        commit("app.yaml", "a: 1\n");
        upstream.tag().setName("v1.0.0").call();
        RevCommit minor = commit("app.yaml", "a: 2\n");
        upstream.tag().setName("v1.1.0").setAnnotated(true).setMessage("1.1").call();
        commit("app.yaml", "a: 3\n");
        upstream.tag().setName("v1.2.0-rc.1").call();
        commit("app.yaml", "a: 4\n");
        upstream.tag().setName("v2.0.0").call();
        GitFetcher fetcher = new GitFetcher(tmp.resolve("mirrors"));

        assertThat(
                        fetcher.fetch("ns/semver", url, ref(r -> r.semver = "1.x"), null, TIMEOUT)
                                .revision())
                .isEqualTo("v1.1.0@sha1:" + minor.name());

        RevCommit patch = commit("app.yaml", "a: 5\n");
        upstream.tag().setName("v1.1.1").call();
        assertThat(
                        fetcher.fetch("ns/semver", url, ref(r -> r.semver = "1.x"), null, TIMEOUT)
                                .revision())
                .as("a new matching tag is seen by the next fetch")
                .isEqualTo("v1.1.1@sha1:" + patch.name());
        upstream.tagDelete().setTags("v1.1.1").call();
        assertThat(
                        fetcher.fetch("ns/semver", url, ref(r -> r.semver = "1.x"), null, TIMEOUT)
                                .revision())
                .as("a tag deleted upstream is not chosen any more")
                .isEqualTo("v1.1.0@sha1:" + minor.name());

        assertThatThrownBy(
                        () ->
                                fetcher.fetch(
                                        "ns/semver", url, ref(r -> r.semver = "~3"), null, TIMEOUT))
                .isInstanceOf(GitFetchException.class)
                .hasMessage("no match found for semver: ~3");
        assertThatThrownBy(
                        () ->
                                fetcher.fetch(
                                        "ns/semver",
                                        url,
                                        ref(r -> r.semver = "garbage!!"),
                                        null,
                                        TIMEOUT))
                .isInstanceOf(GitFetchException.class)
                .hasMessageContaining("semver parse error");
    }

    @Test
    void aNewCommitIsSeenByTheNextFetchOfTheSameMirror() throws Exception {
        commit("app.yaml", "a: 1\n");
        GitFetcher fetcher = new GitFetcher(tmp.resolve("mirrors"));
        fetcher.fetch("ns/repo", url, ref(r -> r.branch = "main"), null, Duration.ofSeconds(10));
        RevCommit next = commit("app.yaml", "a: 2\n");
        assertThat(
                        fetcher.fetch(
                                        "ns/repo",
                                        url,
                                        ref(r -> r.branch = "main"),
                                        null,
                                        Duration.ofSeconds(10))
                                .commit())
                .isEqualTo(next.getId());
    }

    @Test
    void aMissingBranchAndAnUnreachableServerNameTheCause() throws Exception {
        commit("app.yaml", "a: 1\n");
        GitFetcher fetcher = new GitFetcher(tmp.resolve("mirrors"));
        assertThatThrownBy(
                        () ->
                                fetcher.fetch(
                                        "ns/x",
                                        url,
                                        ref(r -> r.branch = "nope"),
                                        null,
                                        Duration.ofSeconds(10)))
                .isInstanceOf(GitFetchException.class)
                .hasMessageContaining("branch 'nope'");
        daemon.stop();
        assertThatThrownBy(
                        () ->
                                fetcher.fetch(
                                        "ns/y",
                                        url,
                                        ref(r -> r.branch = "main"),
                                        null,
                                        Duration.ofSeconds(5)))
                .isInstanceOf(GitFetchException.class)
                .hasMessageContaining(url);
    }

    @Test
    void theSameCommitAlwaysPacksToTheSameDigest() throws Exception {
        commit("deploy/app.yaml", "a: 1\n");
        GitFetcher fetcher = new GitFetcher(tmp.resolve("mirrors"));
        FetchedRevision fetched =
                fetcher.fetch(
                        "ns/repo", url, ref(r -> r.branch = "main"), null, Duration.ofSeconds(10));
        ArtifactStore store = new ArtifactStore(tmp.resolve("artifacts"));
        TreeArchiver archiver = new TreeArchiver();
        Path mirror = tmp.resolve("mirrors/ns/repo");
        StoredArtifact once =
                store.store(out -> archiver.write(mirror, fetched.commit(), null, List.of(), out));
        StoredArtifact twice =
                store.store(out -> archiver.write(mirror, fetched.commit(), null, List.of(), out));
        assertThat(twice.digest()).isEqualTo(once.digest()).startsWith("sha256:");
        assertThat(store.has(once.digest())).isTrue();
        assertThat(store.file("../" + once.fileName())).isEmpty();
    }

    private RevCommit commit(String file, String content) throws Exception {
        Repository repo = upstream.getRepository();
        Path path = repo.getWorkTree().toPath().resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        upstream.add().addFilepattern(".").call();
        return upstream.commit()
                .setMessage("change " + file)
                .setAuthor("t", "t@example.com")
                .call();
    }

    private interface RefSetter {
        void set(GitRepositoryRef ref) throws IOException;
    }

    private static GitRepositoryRef ref(RefSetter setter) throws IOException {
        GitRepositoryRef ref = new GitRepositoryRef();
        setter.set(ref);
        return ref;
    }
}
