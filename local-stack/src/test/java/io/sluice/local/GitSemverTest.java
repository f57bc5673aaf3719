package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A GitRepository following {@code ref.semver} through the whole pipeline: the highest tag in range
 * is applied, not a higher pre-release or a higher major, and a new tag in range is picked up
 * without any change to the objects.
 */
@ExtendWith(LocalStackExtension.class)
class GitSemverTest {
    private static final String NS = "git-semver";

    @Test
    void theHighestTagInRangeIsAppliedAndANewOneFollows() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
            for (String tag : new String[] {"v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v2.0.0"}) {
                release(repo, tag);
            }
            Manifests.apply(client, gitRepository(url, "first"));
            Manifests.apply(client, Manifests.kustomization(NS, "app", "repo", "./app"));
            awaitVersion(client, "v1.1.0");

            release(repo, "v1.1.1");
            Manifests.apply(client, gitRepository(url, Instant.now().toString()));
            awaitVersion(client, "v1.1.1");
        }
        assertThat(
                        client.resources(GitRepository.class)
                                .inNamespace(NS)
                                .withName("repo")
                                .get()
                                .getStatus()
                                .artifact
                                .revision)
                .startsWith("v1.1.1@sha1:");
    }

    /** Following 1.x, checked once an hour, and now when {@code requestedAt} changes. */
    private static String gitRepository(String url, String requestedAt) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata:
                  name: repo
                  namespace: %s
                  annotations: {reconcile.fluxcd.io/requestedAt: "%s"}
                spec:
                  interval: 1h
                  url: %s
                  ref: {semver: "1.x"}
                """
                .formatted(NS, requestedAt, url);
    }

    /** A commit whose ConfigMap says {@code tag}, tagged {@code tag}. */
    private static void release(GitWorkspace repo, String tag) throws Exception {
        repo.write(
                        "app/version.yaml",
                        """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: version, namespace: %s}
                        data: {tag: %s}
                        """
                                .formatted(NS, tag))
                .commitAndPush(tag);
        repo.tagAndPush(tag);
    }

    private static void awaitVersion(KubernetesClient client, String tag) {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            ConfigMap version =
                                    client.configMaps().inNamespace(NS).withName("version").get();
                            assertThat(version).isNotNull();
                            assertThat(version.getData()).containsEntry("tag", tag);
                        });
    }
}
