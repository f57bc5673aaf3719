package io.sluice.source.git;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.GitRepositoryInclude;
import io.sluice.source.artifact.ArchiveComposer;
import io.sluice.source.artifact.PeerArtifacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code spec.include}, as source-controller reads it: each named GitRepository of the same
 * namespace must exist and have an artifact, which is then copied ({@code fromPath}, default the
 * whole artifact) to {@code toPath} (default the repository's name). The includes are read at each
 * interval, not watched, as in Flux.
 */
final class GitIncludes {
    private GitIncludes() {}

    /** An include that cannot be used yet, in source-controller's words. */
    static final class Unavailable extends Exception {
        private final String reason;

        Unavailable(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The included artifacts, and what to add to the archive. */
    record Resolved(List<Artifact> artifacts, List<ArchiveComposer.Addition> additions) {
        /** Whether {@code recorded} (the status) names other artifacts. */
        boolean differFrom(List<Artifact> recorded) {
            List<String> now = artifacts.stream().map(a -> a.digest).toList();
            List<String> before =
                    recorded == null ? List.of() : recorded.stream().map(a -> a.digest).toList();
            return !now.equals(before);
        }
    }

    static Resolved resolve(KubernetesClient client, GitRepository repo, PeerArtifacts peers)
            throws Unavailable {
        List<Artifact> artifacts = new ArrayList<>();
        List<ArchiveComposer.Addition> additions = new ArrayList<>();
        List<GitRepositoryInclude> includes =
                repo.getSpec().include == null ? List.of() : repo.getSpec().include;
        for (GitRepositoryInclude include : includes) {
            String name = include.repository == null ? "" : include.repository.getName();
            if (name.equals(repo.getMetadata().getName())) {
                // its artifact would hold its previous artifact, and grow at every interval
                throw new Unavailable(
                        "IllegalInclude", "GitRepository '" + name + "' cannot include itself");
            }
            GitRepository included =
                    client.resources(GitRepository.class)
                            .inNamespace(repo.getMetadata().getNamespace())
                            .withName(name)
                            .get();
            if (included == null) {
                throw new Unavailable(
                        "NotFound",
                        "could not get resource for include '"
                                + name
                                + "': gitrepositories.source.toolkit.fluxcd.io \""
                                + name
                                + "\" not found");
            }
            if (includes(client, included, repo.getMetadata().getName(), new HashSet<>())) {
                // each artifact would hold the other's previous one, and both grow at every
                // interval
                throw new Unavailable(
                        "IllegalInclude",
                        "GitRepository '"
                                + name
                                + "' includes '"
                                + repo.getMetadata().getName()
                                + "' in turn: includes cannot form a cycle");
            }
            Artifact artifact = included.getStatus() == null ? null : included.getStatus().artifact;
            String expected =
                    "gitrepository/" + repo.getMetadata().getNamespace() + "/" + name + "/";
            Path file =
                    artifact == null || artifact.path == null || !artifact.path.startsWith(expected)
                            ? null
                            : peers.fileOf(artifact).orElse(null);
            if (file == null) {
                throw new Unavailable(
                        "NoArtifact", "no artifact available for include '" + name + "'");
            }
            artifacts.add(artifact);
            additions.add(
                    new ArchiveComposer.Addition(
                            name,
                            file,
                            Objects.requireNonNullElse(include.fromPath, ""),
                            include.toPath == null || include.toPath.isEmpty()
                                    ? name
                                    : include.toPath));
        }
        return new Resolved(artifacts, additions);
    }

    /** Whether {@code from} includes {@code target}, directly or through other includes. */
    private static boolean includes(
            KubernetesClient client, GitRepository from, String target, Set<String> seen) {
        if (from == null
                || from.getSpec().include == null
                || !seen.add(from.getMetadata().getName())) {
            return false;
        }
        for (GitRepositoryInclude include : from.getSpec().include) {
            String name = include.repository == null ? "" : include.repository.getName();
            if (name.equals(target)
                    || includes(
                            client,
                            client.resources(GitRepository.class)
                                    .inNamespace(from.getMetadata().getNamespace())
                                    .withName(name)
                                    .get(),
                            target,
                            seen)) {
                return true;
            }
        }
        return false;
    }
}
