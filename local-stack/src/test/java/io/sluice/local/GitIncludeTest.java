package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepository {@code include}: another GitRepository's artifact ({@code fromPath} of it) is
 * copied into this one's at {@code toPath}, as source-controller copies it, so a Kustomization
 * applies manifests kept in another repository; an include that does not exist holds the artifact
 * back with source-controller's words.
 */
@ExtendWith(LocalStackExtension.class)
class GitIncludeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static KubernetesClient client;
    private static String sharedUrl;
    private static String sharedCommit;
    private static String appUrl;

    @BeforeAll
    static void repositories() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        sharedUrl = stack.git().create("include-shared");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("include-shared"), sharedUrl)) {
            sharedCommit =
                    repo.write(
                                    "deploy/settings.yaml",
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared-settings}\n"
                                            + "data: {from: shared}\n")
                            .write("docs/README.md", "not copied: outside fromPath\n")
                            .commitAndPush("shared manifests");
        }
        appUrl = stack.git().create("include-app");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("include-app"), appUrl)) {
            repo.write(
                            "app/own.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: own}\ndata: {a: b}\n")
                    .commitAndPush("the app");
        }
    }

    @Test
    void anIncludedRepositorysDirectoryIsAppliedFromThisOnesArtifact() {
        String ns = "git-include";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, "shared", sharedUrl, "1h"));
        Manifests.apply(
                client,
                Manifests.gitRepository(ns, "app", appUrl, "1m")
                        + """
                          include:
                          - repository: {name: shared}
                            fromPath: deploy
                            toPath: shared
                        """);
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "shared", "app", "./shared")
                        + "  targetNamespace: "
                        + ns
                        + "\n");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            client.configMaps()
                                                    .inNamespace(ns)
                                                    .withName("shared-settings")
                                                    .get())
                                    .isNotNull();
                            GitRepository app = get(ns, "app");
                            assertThat(app.getStatus().includedArtifacts)
                                    .extracting(a -> a.revision)
                                    .containsExactly("main@sha1:" + sharedCommit);
                            assertThat(app.getStatus().observedInclude).hasSize(1);
                        });
    }

    @Test
    void anIncludeThatDoesNotExistHoldsTheArtifactBack() {
        String ns = "git-include-missing";
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                Manifests.gitRepository(ns, "app", appUrl, "1h")
                        + """
                          include:
                          - repository: {name: missing}
                        """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository app = get(ns, "app");
                            assertThat(condition(app, Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason()).isEqualTo("NotFound");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "could not get resource for include 'missing': gitrepositories.source.toolkit.fluxcd.io \"missing\" not found");
                                            });
                            assertThat(condition(app, "IncludeUnavailable"))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getStatus()).isEqualTo("True"));
                            assertThat(app.getStatus().artifact).isNull();
                        });
    }

    @Test
    void repositoriesThatIncludeEachOtherAreRefusedNotGrownForEver() {
        String ns = "git-include-cycle";
        Manifests.apply(client, Manifests.namespace(ns));
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
            Manifests.apply(
                    client,
                    Manifests.gitRepository(ns, pair[0], appUrl, "1h")
                            + "  include:\n  - repository: {name: "
                            + pair[1]
                            + "}\n");
        }
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(condition(get(ns, "a"), Conditions.READY))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("IllegalInclude");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "GitRepository 'b' includes 'a' in turn: includes cannot form a cycle");
                                                }));
        assertThat(get(ns, "a").getStatus().artifact).isNull();
    }

    private static GitRepository get(String ns, String name) {
        return client.resources(GitRepository.class).inNamespace(ns).withName(name).get();
    }

    private static Optional<Condition> condition(GitRepository source, String type) {
        return source == null || source.getStatus() == null
                ? Optional.empty()
                : Conditions.find(source.getStatus().conditions, type);
    }
}
