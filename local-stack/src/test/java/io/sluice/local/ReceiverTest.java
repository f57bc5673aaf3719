package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.notification.Receiver;
import io.sluice.contracts.source.GitRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flux's Receiver on source-service: a signed webhook makes a GitRepository whose interval is an
 * hour fetch the commit just pushed; a badly signed one is refused with 400 and reconciles nothing;
 * a receiver without its token Secret is not Ready and says why.
 */
@ExtendWith(LocalStackExtension.class)
class ReceiverTest {
    private static final String NS = "receiver";
    private static final String TOKEN = "webhook-token-5f1e";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSignedGitHubPushFetchesAtOnceAndABadSignatureReconcilesNothing() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
            String first = repo.write("a.yaml", "a: 1\n").commitAndPush("first");
            Manifests.apply(client, Manifests.gitRepository(NS, "app", url, "1h"));
            await().atMost(Duration.ofSeconds(60)).until(() -> revision(client).endsWith(first));

            Manifests.createSecret(client, NS, "webhook-token", Map.of("token", TOKEN));
            Manifests.apply(
                    client,
                    """
                    apiVersion: notification.toolkit.fluxcd.io/v1
                    kind: Receiver
                    metadata: {name: github, namespace: receiver}
                    spec:
                      type: github
                      events: ["push"]
                      secretRef: {name: webhook-token}
                      resources:
                        - kind: GitRepository
                          name: app
                    """);
            String path = awaitWebhookPath(client, "github");
            assertThat(path).matches("/hook/[0-9a-f]{64}");

            String second = repo.write("a.yaml", "a: 2\n").commitAndPush("second");
            byte[] payload = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
            String source = stack.service("source-service").url();

            HttpResponse<String> forged =
                    post(source + path, payload, "push", "sha256=" + hmac("wrong-token", payload));
            assertThat(forged.statusCode()).isEqualTo(400);
            HttpResponse<String> notAllowed =
                    post(source + path, payload, "issues", "sha256=" + hmac(TOKEN, payload));
            assertThat(notAllowed.statusCode()).isEqualTo(400);
            assertThat(
                            client.resources(GitRepository.class)
                                    .inNamespace(NS)
                                    .withName("app")
                                    .get()
                                    .getMetadata()
                                    .getAnnotations())
                    .as("a refused webhook asks nothing")
                    .doesNotContainKey("reconcile.fluxcd.io/requestedAt");
            assertThat(revision(client)).endsWith(first);

            HttpResponse<String> signed =
                    post(source + path, payload, "push", "sha256=" + hmac(TOKEN, payload));
            assertThat(signed.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> revision(client).endsWith(second));

            assertThat(post(source + "/hook/" + "0".repeat(64), payload, "push", "").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aReceiverWithoutItsTokenSecretIsNotReady() {
        KubernetesClient client = LocalStackExtension.stack().client();
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(
                client,
                """
                apiVersion: notification.toolkit.fluxcd.io/v1
                kind: Receiver
                metadata: {name: no-token, namespace: receiver}
                spec:
                  type: generic
                  secretRef: {name: absent}
                  resources:
                    - kind: GitRepository
                      name: app
                """);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            Receiver receiver = receiver(client, "no-token");
                            assertThat(receiver.getStatus()).isNotNull();
                            assertThat(
                                            Conditions.find(
                                                    receiver.getStatus().conditions,
                                                    Conditions.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getReason())
                                                        .isEqualTo("TokenNotFound");
                                                assertThat(c.getMessage())
                                                        .contains("receiver/absent");
                                            });
                            assertThat(receiver.getStatus().webhookPath).isNull();
                        });
    }

    private static String awaitWebhookPath(KubernetesClient client, String name) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            Receiver receiver = receiver(client, name);
                            assertThat(receiver.getStatus()).isNotNull();
                            assertThat(receiver.getStatus().webhookPath).isNotNull();
                            assertThat(
                                            Conditions.find(
                                                    receiver.getStatus().conditions,
                                                    Conditions.READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "Receiver initialized for"
                                                                            + " path: "
                                                                            + receiver.getStatus()
                                                                                    .webhookPath));
                        });
        return receiver(client, name).getStatus().webhookPath;
    }

    private static Receiver receiver(KubernetesClient client, String name) {
        return client.resources(Receiver.class).inNamespace(NS).withName(name).get();
    }

    private static String revision(KubernetesClient client) {
        GitRepository repository =
                client.resources(GitRepository.class).inNamespace(NS).withName("app").get();
        return repository == null
                        || repository.getStatus() == null
                        || repository.getStatus().artifact == null
                ? ""
                : repository.getStatus().artifact.revision;
    }

    private static HttpResponse<String> post(
            String url, byte[] payload, String event, String signature) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-GitHub-Event", event)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if (!signature.isEmpty()) {
            request.header("X-Hub-Signature-256", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String key, byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(payload));
    }
}
