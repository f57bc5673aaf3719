package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.notification.Provider;
import io.sluice.health.notify.RecordingServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flux's Providers and Alerts on health-service: a Kustomization's events reach a signed webhook
 * and a GitHub commit status, with real HTTP servers on loopback standing in for both; a Provider
 * that cannot be used is named on its Alert as notification-controller names it, and the other
 * Alerts are still served.
 */
@ExtendWith(LocalStackExtension.class)
class NotificationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReadyKustomizationIsSentSignedToAWebhookAndAsACommitStatus() throws Exception {
        String ns = "notify";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        try (RecordingServer hook = new RecordingServer();
                RecordingServer github = new RecordingServer()) {
            Manifests.apply(client, Manifests.namespace(ns));
            Manifests.createSecret(
                    client,
                    ns,
                    "hook-token",
                    Map.of("token", "hmac-key", "headers", "X-Team: web\n"));
            Manifests.createSecret(client, ns, "github-token", Map.of("token", "ghp_test"));
            Manifests.apply(
                    client,
                    provider(ns, "webhook", "generic-hmac", hook.url("/hook"), "hook-token"));
            Manifests.apply(
                    client,
                    provider(ns, "github", "github", github.url("/org/app"), "github-token"));
            Manifests.apply(
                    client,
                    """
                    apiVersion: notification.toolkit.fluxcd.io/v1beta3
                    kind: Alert
                    metadata: {name: everything, namespace: notify}
                    spec:
                      providerRef: {name: webhook}
                      eventMetadata: {cluster: local}
                      eventSources:
                        - kind: Kustomization
                          name: '*'
                    ---
                    apiVersion: notification.toolkit.fluxcd.io/v1beta3
                    kind: Alert
                    metadata: {name: commit-status, namespace: notify}
                    spec:
                      providerRef: {name: github}
                      eventSources:
                        - kind: Kustomization
                          name: app
                    """);
            String sha = SettingsRepository.deploy(stack, ns, "{a: \"1\"}");

            RecordingServer.Recorded sent =
                    await().atMost(Duration.ofSeconds(90))
                            .until(() -> first(hook, "ReconciliationSucceeded"), r -> r != null);
            assertThat(sent.header("X-Signature"))
                    .isEqualTo("sha256=" + hmac("hmac-key", sent.body()));
            assertThat(sent.header("Gotk-Component")).isEqualTo("kustomize-controller");
            assertThat(sent.header("X-Team")).isEqualTo("web");
            JsonNode event = JSON.readTree(sent.body());
            Kustomization app =
                    client.resources(Kustomization.class).inNamespace(ns).withName("app").get();
            assertThat(event.path("involvedObject").path("kind").asText())
                    .isEqualTo("Kustomization");
            assertThat(event.path("involvedObject").path("name").asText()).isEqualTo("app");
            assertThat(event.path("involvedObject").path("uid").asText())
                    .isEqualTo(app.getMetadata().getUid());
            assertThat(event.path("involvedObject").path("apiVersion").asText())
                    .isEqualTo("kustomize.toolkit.fluxcd.io/v1");
            assertThat(event.path("severity").asText()).isEqualTo("info");
            assertThat(event.path("metadata").path("revision").asText())
                    .isEqualTo("main@sha1:" + sha);
            assertThat(event.path("metadata").path("cluster").asText()).isEqualTo("local");

            String uid =
                    client.resources(Provider.class)
                            .inNamespace(ns)
                            .withName("github")
                            .get()
                            .getMetadata()
                            .getUid()
                            .split("-")[0];
            RecordingServer.Recorded status =
                    await().atMost(Duration.ofSeconds(30))
                            .until(
                                    () ->
                                            github.requests().stream()
                                                    .filter(r -> r.method().equals("POST"))
                                                    .findFirst()
                                                    .orElse(null),
                                    r -> r != null);
            assertThat(status.path()).isEqualTo("/api/v3/repos/org/app/statuses/" + sha);
            assertThat(status.header("Authorization")).isEqualTo("Bearer ghp_test");
            assertThat(JSON.readTree(status.body()))
                    .isEqualTo(
                            JSON.readTree(
                                    "{\"state\":\"success\",\"description\":\"reconciliation succeeded\",\"context\":\"kustomization/app/"
                                            + uid
                                            + "\"}"));
        }
    }

    @Test
    void aProviderThatCannotBeUsedIsNamedOnItsAlertAndTheOthersAreStillSent() throws Exception {
        String ns = "notify-faults";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (RecordingServer hook = new RecordingServer()) {
            Manifests.apply(client, Manifests.namespace(ns));
            Manifests.apply(
                    client, provider(ns, "telegram", "telegram", hook.url("/telegram"), null));
            Manifests.apply(
                    client, provider(ns, "no-secret", "slack", hook.url("/slack"), "absent"));
            Manifests.apply(
                    client,
                    provider(ns, "down", "slack", "http://127.0.0.1:" + closed + "/slack", null)
                            + "  timeout: 3s\n");
            Manifests.apply(client, provider(ns, "working", "generic", hook.url("/hook"), null));
            for (String provider : List.of("telegram", "no-secret", "down", "working")) {
                Manifests.apply(client, alert(ns, provider));
            }
            SettingsRepository.deploy(stack, ns, "{a: \"1\"}");

            await().atMost(Duration.ofSeconds(90))
                    .until(() -> first(hook, "ReconciliationSucceeded") != null);
            assertThat(hook.requests()).allMatch(r -> r.path().equals("/hook"));
            String subject = "Kustomization/" + ns + "/app: ";
            awaitDispatchFailure(
                    client,
                    ns,
                    "telegram",
                    "failed to dispatch notification for "
                            + subject
                            + "failed to initialize notifier for provider 'telegram': failed to initialize notifier: provider telegram not supported by Sluice");
            awaitDispatchFailure(
                    client,
                    ns,
                    "no-secret",
                    "failed to dispatch notification for "
                            + subject
                            + "failed to initialize notifier for provider 'no-secret': failed to get secret '"
                            + ns
                            + "/absent'");
            awaitDispatchFailure(
                    client,
                    ns,
                    "down",
                    "failed to send notification for "
                            + subject
                            + "POST http://127.0.0.1:"
                            + closed
                            + "/slack giving up after");
        }
    }

    private static void awaitDispatchFailure(
            KubernetesClient client, String ns, String alert, String message) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                                        .filteredOn(
                                                e ->
                                                        "Alert"
                                                                        .equals(
                                                                                e.getInvolvedObject()
                                                                                        .getKind())
                                                                && alert.equals(
                                                                        e.getInvolvedObject()
                                                                                .getName()))
                                        .extracting(Event::getType, Event::getReason)
                                        .contains(
                                                org.assertj.core.groups.Tuple.tuple(
                                                        "Warning", "NotificationDispatchFailed")));
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(
                        e ->
                                alert.equals(e.getInvolvedObject().getName())
                                        && "NotificationDispatchFailed".equals(e.getReason()))
                .extracting(Event::getMessage)
                .anyMatch(m -> m.startsWith(message));
    }

    private static RecordingServer.Recorded first(RecordingServer server, String reason) {
        return server.requests().stream()
                .filter(r -> r.body().contains("\"reason\":\"" + reason + "\""))
                .findFirst()
                .orElse(null);
    }

    private static String provider(
            String ns, String name, String type, String address, String secret) {
        return """
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Provider
                metadata: {name: %s, namespace: %s}
                spec:
                  type: %s
                  address: %s
                """
                        .formatted(name, ns, type, address)
                + (secret == null ? "" : "  secretRef: {name: " + secret + "}\n");
    }

    private static String alert(String ns, String provider) {
        return """
                apiVersion: notification.toolkit.fluxcd.io/v1beta3
                kind: Alert
                metadata: {name: %s, namespace: %s}
                spec:
                  providerRef: {name: %s}
                  eventSources:
                    - kind: Kustomization
                      name: app
                """
                .formatted(provider, ns, provider);
    }

    private static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
