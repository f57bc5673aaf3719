package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepositories over HTTP that ask for a login, with the Secret keys Flux names: {@code
 * bearerToken} (sent alone, as an {@code Authorization: Bearer} header) and {@code username}/{@code
 * password}; a wrong token is refused naming the URL, and nothing is fetched.
 */
@ExtendWith(LocalStackExtension.class)
class HttpGitAuthTest {
    private static final String NS = "git-http-auth";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static String url;
    private static String commit;

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), stack.git().create(NS))) {
            commit =
                    repo.write("app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\n")
                            .commitAndPush("behind a login");
        }
        url = stack.git().privateUrl(NS);
    }

    @Test
    void aBearerTokenFetches() {
        assertFetched("bearer", Map.of("bearerToken", GitServer.BEARER_TOKEN));
    }

    @Test
    void aUsernameAndPasswordFetch() {
        String[] login = GitServer.BASIC.split(":", 2);
        assertFetched("basic", Map.of("username", login[0], "password", login[1]));
    }

    @Test
    void aWrongTokenIsRefusedNamingTheUrlAndNothingIsFetched() {
        apply("wrong", Map.of("bearerToken", "not-the-token"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository("wrong");
                            assertThat(ready(repo))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason())
                                                        .isEqualTo("GitOperationFailed");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "failed to fetch branch 'main' from '"
                                                                        + url
                                                                        + "': authentication required");
                                            });
                            assertThat(repo.getStatus().artifact).isNull();
                        });
    }

    private static void assertFetched(String name, Map<String, String> data) {
        apply(name, data);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository(name);
                            assertThat(repo.getStatus()).isNotNull();
                            assertThat(repo.getStatus().artifact).isNotNull();
                            assertThat(repo.getStatus().artifact.revision)
                                    .isEqualTo("main@sha1:" + commit);
                        });
    }

    private static void apply(String name, Map<String, String> data) {
        Manifests.createSecret(client, NS, name, data);
        Manifests.apply(
                client,
                Manifests.gitRepository(NS, name, url, "1h")
                        + "  secretRef: {name: "
                        + name
                        + "}\n");
    }

    private static GitRepository repository(String name) {
        return client.resources(GitRepository.class).inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> ready(GitRepository repo) {
        return repo == null || repo.getStatus() == null
                ? Optional.empty()
                : Conditions.find(repo.getStatus().conditions, Conditions.READY);
    }
}
