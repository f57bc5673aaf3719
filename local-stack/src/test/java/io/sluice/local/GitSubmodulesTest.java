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
 * GitRepository {@code recurseSubmodules}: a submodule recorded with a relative URL is fetched
 * (with the superproject's credentials) at the commit the superproject records, and its files are
 * in the artifact under its path, so a Kustomization applies them; without the field they are not.
 */
@ExtendWith(LocalStackExtension.class)
class GitSubmodulesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void aSubmodulesFilesAreInTheArtifactOnlyWhenAsked() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String libUrl = stack.git().create("submodule-lib");
        try (GitWorkspace lib = GitWorkspace.init(Files.createTempDirectory("lib"), libUrl)) {
            lib.write(
                            "manifests/lib.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-submodule}\n"
                                    + "data: {a: b}\n")
                    .commitAndPush("the library");
        }
        String appUrl = stack.git().create("submodule-app");
        String commit;
        try (GitWorkspace app = GitWorkspace.init(Files.createTempDirectory("app"), appUrl)) {
            commit =
                    app.write("README.md", "the app\n")
                            .addSubmodule("lib", libUrl, "../submodule-lib.git")
                            .commitAndPush("the app, with its library as a submodule");
        }
        String ns = "git-submodules";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                Manifests.gitRepository(ns, "app", appUrl, "1h") + "  recurseSubmodules: true\n");
        Manifests.apply(client, Manifests.gitRepository(ns, "app-without", appUrl, "1h"));
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "lib", "app", "./lib/manifests")
                        + "  targetNamespace: "
                        + ns
                        + "\n");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            client.configMaps()
                                                    .inNamespace(ns)
                                                    .withName("from-submodule")
                                                    .get())
                                    .isNotNull();
                            GitRepository app =
                                    client.resources(GitRepository.class)
                                            .inNamespace(ns)
                                            .withName("app")
                                            .get();
                            assertThat(app.getStatus().artifact.revision)
                                    .isEqualTo("main@sha1:" + commit);
                            assertThat(app.getStatus().observedRecurseSubmodules).isTrue();
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository without =
                                    client.resources(GitRepository.class)
                                            .inNamespace(ns)
                                            .withName("app-without")
                                            .get();
                            assertThat(without.getStatus()).isNotNull();
                            assertThat(without.getStatus().artifact).isNotNull();
                            assertThat(without.getStatus().artifact.digest)
                                    .as("without recurseSubmodules, another artifact (no lib/)")
                                    .isNotEqualTo(
                                            client.resources(GitRepository.class)
                                                    .inNamespace(ns)
                                                    .withName("app")
                                                    .get()
                                                    .getStatus()
                                                    .artifact
                                                    .digest);
                        });
    }
}
