package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepository {@code provider: github}: a GitHub App's installation token fetches, with the
 * Secret keys Flux names. GitHub's App API cannot run here, so a stand-in answers its two calls
 * (the installation of an owner, and a new installation token) as GitHub does, after checking the
 * App's JWT as GitHub checks it (RS256 by the App's key, its ID as issuer, at most ten minutes
 * long); the Git server is the stack's real one, which takes the token as GitHub takes it.
 */
@ExtendWith(LocalStackExtension.class)
class GitHubAppTest {
    private static final String NS = "git-github-app";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long APP_ID = 4711;
    private static final long INSTALLATION_ID = 4242;
    private static final String OWNER = "sluice-org";

    private static KubernetesClient client;
    private static String url;
    private static String commit;
    private static KeyPair appKey;
    private static HttpServer github;
    private static String api;
    private static final AtomicInteger tokensIssued = new AtomicInteger();

    @BeforeAll
    static void repositoryAndApp() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), stack.git().create(NS))) {
            commit =
                    repo.write("app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\n")
                            .commitAndPush("behind a GitHub App");
        }
        url = stack.git().privateUrl(NS);
        appKey = rsaKey();
        github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/api/v3/", GitHubAppTest::answer);
        github.start();
        api = "http://127.0.0.1:" + github.getAddress().getPort() + "/api/v3";
    }

    @AfterAll
    static void stopApi() {
        if (github != null) {
            github.stop(0);
        }
    }

    @Test
    void anInstallationTokenFetches() throws Exception {
        int before = tokensIssued.get();
        apply(
                "by-id",
                "github",
                Map.of(
                        "githubAppID", Long.toString(APP_ID),
                        "githubAppInstallationID", Long.toString(INSTALLATION_ID),
                        "githubAppPrivateKey", pem(appKey),
                        "githubAppBaseURL", api));
        awaitFetched("by-id");
        assertThat(tokensIssued.get()).isGreaterThan(before);
    }

    @Test
    void anInstallationFoundByItsOwnerFetches() throws Exception {
        apply(
                "by-owner",
                "github",
                Map.of(
                        "githubAppID",
                        Long.toString(APP_ID),
                        "githubAppInstallationOwner",
                        OWNER,
                        "githubAppPrivateKey",
                        pem(appKey),
                        "githubAppBaseURL",
                        api));
        awaitFetched("by-owner");
    }

    @Test
    void aKeyGitHubDoesNotKnowIsRefusedAndNothingIsFetched() throws Exception {
        apply(
                "wrong-key",
                "github",
                Map.of(
                        "githubAppID", Long.toString(APP_ID),
                        "githubAppInstallationID", Long.toString(INSTALLATION_ID),
                        "githubAppPrivateKey", pem(rsaKey()),
                        "githubAppBaseURL", api));
        awaitRefused(
                "wrong-key",
                "AuthenticationFailed",
                "failed to configure authentication options: POST "
                        + api
                        + "/app/installations/"
                        + INSTALLATION_ID
                        + "/access_tokens: 401 A JSON web token could not be decoded []");
    }

    @Test
    void theGitHubProviderWithoutAppDataIsRefused() {
        apply("no-app", "github", Map.of("username", "flux", "password", "secret"));
        awaitRefused(
                "no-app",
                "InvalidProviderConfiguration",
                "secretRef with github app data must be specified when provider is set to github");
    }

    @Test
    void appDataWithoutTheGitHubProviderIsRefused() throws Exception {
        apply(
                "no-provider",
                "generic",
                Map.of(
                        "githubAppID", Long.toString(APP_ID),
                        "githubAppInstallationID", Long.toString(INSTALLATION_ID),
                        "githubAppPrivateKey", pem(appKey)));
        awaitRefused(
                "no-provider",
                "InvalidProviderConfiguration",
                "secretRef '"
                        + NS
                        + "/no-provider' has github app data but provider is not set to github");
    }

    /** GitHub's answers to the two calls Flux makes, for a JWT GitHub would accept. */
    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/api/v3".length());
        String jwt =
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                        .filter(h -> h.startsWith("Bearer "))
                        .map(h -> h.substring("Bearer ".length()))
                        .orElse("");
        if (!validJwt(jwt, appKey.getPublic())) {
            reply(exchange, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
        } else if ("GET".equals(exchange.getRequestMethod())
                && path.equals("/orgs/" + OWNER + "/installation")) {
            reply(exchange, 200, "{\"id\":" + INSTALLATION_ID + "}");
        } else if ("POST".equals(exchange.getRequestMethod())
                && path.equals("/app/installations/" + INSTALLATION_ID + "/access_tokens")) {
            tokensIssued.incrementAndGet();
            reply(
                    exchange,
                    201,
                    "{\"token\":\"%s\",\"expires_at\":\"%s\"}"
                            .formatted(
                                    GitServer.APP_INSTALLATION_TOKEN,
                                    Instant.now().plus(Duration.ofHours(1))));
        } else {
            reply(exchange, 404, "{\"message\":\"Not Found\"}");
        }
    }

    private static boolean validJwt(String jwt, PublicKey key) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = Instant.now().getEpochSecond();
            return "RS256".equals(header.path("alg").asText())
                    && Long.toString(APP_ID).equals(claims.path("iss").asText())
                    && claims.path("exp").asLong() > now
                    && claims.path("iat").asLong() <= now
                    && claims.path("exp").asLong() - claims.path("iat").asLong() <= 600;
        } catch (Exception e) {
            return false;
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static KeyPair rsaKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return rsa.generateKeyPair();
    }

    /** As GitHub hands out an App's private key: PKCS#1 PEM. */
    private static String pem(KeyPair key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }

    private static void apply(String name, String provider, Map<String, String> data) {
        Manifests.createSecret(client, NS, name, data);
        Manifests.apply(
                client,
                Manifests.gitRepository(NS, name, url, "1h")
                        + "  provider: "
                        + provider
                        + "\n  secretRef: {name: "
                        + name
                        + "}\n");
    }

    private static void awaitFetched(String name) {
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

    private static void awaitRefused(String name, String reason, String message) {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository(name);
                            assertThat(ready(repo))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason()).isEqualTo(reason);
                                                assertThat(c.getMessage()).isEqualTo(message);
                                            });
                            assertThat(repo.getStatus().artifact).isNull();
                        });
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
