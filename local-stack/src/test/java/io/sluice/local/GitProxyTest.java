package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepository {@code proxySecretRef}: fetches go through a real HTTP forward proxy (goproxy,
 * {@code deploy/local/proxy}) that asks for a login, with the Secret keys Flux names; the proxy's
 * own log shows the fetch passed through it.
 */
@ExtendWith(LocalStackExtension.class)
class GitProxyTest {
    private static final String NS = "git-proxy";
    private static final String LOGIN = "flux-proxy:proxy-pass-1f2e";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static String url;
    private static String commit;
    private static Process proxy;
    private static String address;
    private static final List<String> forwarded = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void repositoryAndProxy() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        url = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
            commit =
                    repo.write("app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\n")
                            .commitAndPush("behind a proxy");
        }
        String binary = Launcher.output(Path.of("../deploy/local/proxy/build").toAbsolutePath());
        proxy =
                new ProcessBuilder(binary, "-login", LOGIN)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        address = "http://" + out.readLine();
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                for (String line = out.readLine();
                                        line != null;
                                        line = out.readLine()) {
                                    forwarded.add(line);
                                }
                            } catch (java.io.IOException e) {
                                // the proxy stopped
                            }
                        });
        reader.setDaemon(true);
        reader.start();
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.destroy();
        }
    }

    @Test
    void aFetchGoesThroughTheProxyWithItsLogin() {
        String[] login = LOGIN.split(":", 2);
        apply("through", Map.of("address", address, "username", login[0], "password", login[1]));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository("through");
                            assertThat(repo.getStatus()).isNotNull();
                            assertThat(repo.getStatus().artifact).isNotNull();
                            assertThat(repo.getStatus().artifact.revision)
                                    .isEqualTo("main@sha1:" + commit);
                        });
        assertThat(forwarded)
                .as("the proxy's log")
                .anyMatch(l -> l.startsWith("GET " + url + "/info/refs"));
    }

    @Test
    void aLoginTheProxyRefusesFailsTheFetch() {
        apply(
                "refused",
                Map.of(
                        "address",
                        address,
                        "username",
                        "flux-proxy",
                        "password",
                        "wrong-pass-93b1"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository("refused");
                            assertThat(ready(repo))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason())
                                                        .isEqualTo("GitOperationFailed");
                                                assertThat(c.getMessage())
                                                        .contains(url)
                                                        .doesNotContain("wrong-pass-93b1");
                                            });
                            assertThat(repo.getStatus().artifact).isNull();
                        });
        assertThat(forwarded).anyMatch(l -> l.startsWith("REFUSED GET " + url));
    }

    @Test
    void aProxySecretWithoutAnAddressIsRefusedInFluxsWords() {
        apply("no-address", Map.of("username", "flux-proxy"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(repository("no-address")))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("AuthenticationFailed");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "failed to configure proxy"
                                                                            + " options: secret '"
                                                                            + NS
                                                                            + "/no-address-proxy':"
                                                                            + " key 'address' not"
                                                                            + " found");
                                                }));
    }

    @Test
    void aProxyLoginForAnHttpsRepositoryIsRefusedNotSentThroughTheTunnel() {
        String[] login = LOGIN.split(":", 2);
        apply(
                "https-login",
                "https://127.0.0.1:1/never-fetched",
                Map.of("address", address, "username", login[0], "password", login[1]));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(repository("https-login")))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("AuthenticationFailed");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "failed to configure proxy"
                                                                            + " options: secret '"
                                                                            + NS
                                                                            + "/https-login-proxy':"
                                                                            + " a proxy login for an"
                                                                            + " https:// repository"
                                                                            + " is not supported"
                                                                            + " yet");
                                                }));
    }

    private static void apply(String name, Map<String, String> proxyData) {
        apply(name, url, proxyData);
    }

    private static void apply(String name, String repositoryUrl, Map<String, String> proxyData) {
        Manifests.createSecret(client, NS, name + "-proxy", proxyData);
        Manifests.apply(
                client,
                Manifests.gitRepository(NS, name, repositoryUrl, "1h")
                        + "  proxySecretRef: {name: "
                        + name
                        + "-proxy}\n");
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
