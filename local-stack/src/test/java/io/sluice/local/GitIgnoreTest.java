package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spec.ignore} and {@code .sourceignore} through the whole pipeline: what they exclude is
 * not in the artifact, so not applied; changing {@code spec.ignore} builds a new artifact of the
 * same commit, applied at the Kustomization's next interval.
 */
@ExtendWith(LocalStackExtension.class)
class GitIgnoreTest {
    private static final String NS = "git-ignore";

    @Test
    void excludedFilesAreNotAppliedAndAnIgnoreChangeRebuildsTheArtifact() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
            repo.write("app/kept.yaml", configMap("kept"))
                    .write("app/extra/extra.yaml", configMap("extra"))
                    .write("app/drafts/draft.yaml", configMap("draft"))
                    .write("app/.sourceignore", "drafts/\n")
                    .commitAndPush("three config maps, one a draft");
        }
        Manifests.apply(client, gitRepository(url, "/app/extra/\n"));
        // a new artifact of the same revision is applied at the Kustomization's next interval, as
        // in Flux (kustomize-controller reacts at once only to a new revision)
        Manifests.apply(
                client,
                Manifests.kustomization(NS, "app", "repo", "./app")
                        .replace("interval: 10m", "interval: 5s"));
        await().atMost(Duration.ofSeconds(90))
                .until(() -> client.configMaps().inNamespace(NS).withName("kept").get() != null);
        assertThat(client.configMaps().inNamespace(NS).withName("extra").get())
                .as("excluded by spec.ignore")
                .isNull();
        assertThat(client.configMaps().inNamespace(NS).withName("draft").get())
                .as("excluded by app/.sourceignore")
                .isNull();
        String firstDigest = repository(client).getStatus().artifact.digest;
        assertThat(repository(client).getStatus().observedIgnore).isEqualTo("/app/extra/\n");

        Manifests.apply(client, gitRepository(url, "# nothing more\n"));
        await().atMost(Duration.ofSeconds(90))
                .until(() -> client.configMaps().inNamespace(NS).withName("extra").get() != null);
        assertThat(repository(client).getStatus().artifact.digest).isNotEqualTo(firstDigest);
        assertThat(client.configMaps().inNamespace(NS).withName("draft").get())
                .as("still excluded by app/.sourceignore")
                .isNull();
    }

    private static GitRepository repository(KubernetesClient client) {
        return client.resources(GitRepository.class).inNamespace(NS).withName("repo").get();
    }

    private static String gitRepository(String url, String ignore) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: repo, namespace: %s}
                spec:
                  interval: 1h
                  url: %s
                  ref: {branch: main}
                  ignore: |
                %s"""
                .formatted(
                        NS,
                        url,
                        ignore.lines().map(l -> "    " + l + "\n").reduce("", String::concat));
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata: {a: b}\n"
                .formatted(name, NS);
    }
}
