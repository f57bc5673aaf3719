package io.sluice.health.notify.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.health.notify.Delivery;
import io.sluice.health.notify.FluxEvent;
import io.sluice.health.notify.ProviderSettings;
import io.sluice.health.notify.RecordingServer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each Provider type against a real HTTP server on loopback standing in for its service: the
 * request recorded is the one notification-controller sends (method, path, headers, payload).
 */
class NotifiersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private RecordingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void genericHmacPostsTheEventSignedWithTheToken() throws Exception {
        send(
                provider("generic-hmac", server.url("/hook"), "s3cret", Map.of("X-Team", "web")),
                error());
        RecordingServer.Recorded request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Gotk-Component")).isEqualTo("kustomize-controller");
        assertThat(request.header("X-Team")).isEqualTo("web");
        assertThat(request.header("X-Signature"))
                .isEqualTo("sha256=" + hmac("s3cret", request.body()));
        assertThat(request.body())
                .isEqualTo(
                        "{\"involvedObject\":{\"kind\":\"Kustomization\",\"namespace\":\"apps\",\"name\":\"podinfo\",\"uid\":\"u-1\",\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\"},"
                                + "\"severity\":\"error\",\"timestamp\":\"2026-11-29T08:00:00Z\",\"message\":\"health check failed\",\"reason\":\"HealthCheckFailed\","
                                + "\"metadata\":{\"revision\":\"main@sha1:"
                                + SHA
                                + "\",\"summary\":\"prod\"},"
                                + "\"reportingController\":\"kustomize-controller\",\"reportingInstance\":\"health-0\"}");
    }

    @Test
    void genericHmacWithoutATokenIsRefused() {
        assertThatThrownBy(
                        () ->
                                Notifiers.create(
                                        provider(
                                                "generic-hmac",
                                                server.url("/hook"),
                                                null,
                                                Map.of()),
                                        "id"))
                .hasMessage("HMAC key is empty");
    }

    @Test
    void slackGetsOneRedAttachmentWithTheMetadataAsFieldsAndTheTokenAsBearer() throws Exception {
        send(provider("slack", server.url("/services/T/B/x"), "xoxb-1", Map.of()), error());
        RecordingServer.Recorded request = server.requests().get(0);
        assertThat(request.header("Authorization")).isEqualTo("Bearer xoxb-1");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("channel").asText()).isEqualTo("#ops");
        assertThat(body.path("username").asText()).isEqualTo("kustomize-controller");
        JsonNode attachment = body.path("attachments").get(0);
        assertThat(attachment.path("color").asText()).isEqualTo("danger");
        assertThat(attachment.path("author_name").asText()).isEqualTo("kustomization/podinfo.apps");
        assertThat(attachment.path("fallback").asText())
                .isEqualTo("kustomization/podinfo.apps: health check failed");
        assertThat(attachment.path("fields").get(0).path("title").asText()).isEqualTo("revision");
        assertThat(attachment.path("fields").get(1).path("value").asText()).isEqualTo("prod");
    }

    @Test
    void discordPostsSlackPayloadsToTheSlackSuffixWithoutChannel() throws Exception {
        send(provider("discord", server.url("/api/webhooks/1/x"), null, Map.of()), error());
        RecordingServer.Recorded request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/webhooks/1/x/slack");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("channel").asText()).isEmpty();
        assertThat(body.path("attachments").get(0).path("fallback").asText()).isEmpty();
    }

    @Test
    void discordKeepsTheQueryOfItsWebhook() throws Exception {
        send(
                provider("discord", server.url("/api/webhooks/1/x?thread_id=42"), null, Map.of()),
                error());
        assertThat(server.requests().get(0).path())
                .isEqualTo("/api/webhooks/1/x/slack?thread_id=42");
    }

    @Test
    void rocketGetsSlacksPayloadWithHexColoursAndOnlyTheGivenUsername() throws Exception {
        send(provider("rocket", server.url("/hooks/abc"), null, Map.of()), error());
        JsonNode body = JSON.readTree(server.requests().get(0).body());
        assertThat(body.path("channel").asText()).isEqualTo("#ops");
        assertThat(body.path("username").asText()).isEmpty();
        JsonNode attachment = body.path("attachments").get(0);
        assertThat(attachment.path("color").asText()).isEqualTo("#FF0000");
        assertThat(attachment.path("fallback").asText()).isEmpty();
        assertThat(attachment.path("author_name").asText()).isEqualTo("kustomization/podinfo.apps");
    }

    @Test
    void teamsWorkflowsGetAnAdaptiveCardWithTheSummaryFirst() throws Exception {
        send(provider("msteams", server.url("/workflows/1"), null, Map.of()), error());
        JsonNode content =
                JSON.readTree(server.requests().get(0).body())
                        .path("attachments")
                        .get(0)
                        .path("content");
        assertThat(content.path("version").asText()).isEqualTo("1.4");
        JsonNode items = content.path("body").get(0).path("items");
        assertThat(items.get(0).path("text").asText()).isEqualTo("kustomization/podinfo.apps");
        assertThat(items.get(1).path("color").asText()).isEqualTo("attention");
        assertThat(items.get(2).path("facts").get(0).path("title").asText()).isEqualTo("summary");
        assertThat(items.get(2).path("facts").get(1).path("title").asText()).isEqualTo("revision");
    }

    @Test
    void officeConnectorsGetTheLegacyMessageCard() throws Exception {
        // chosen by the host (*.webhook.office.com), which loopback cannot be: the card itself
        JsonNode card = JSON.valueToTree(MsTeams.messageCard(error()));
        assertThat(card.path("@type").asText()).isEqualTo("MessageCard");
        assertThat(card.path("themeColor").asText()).isEqualTo("FF0000");
        assertThat(card.path("summary").asText()).isEqualTo("kustomization/podinfo.apps");
        assertThat(card.path("sections").get(0).path("activityTitle").asText())
                .isEqualTo("health check failed");
        assertThat(card.path("sections").get(0).path("facts").get(0).path("name").asText())
                .isEqualTo("revision");
    }

    @Test
    void googleChatGetsACardWithTheErrorInRed() throws Exception {
        send(provider("googlechat", server.url("/v1/spaces/x"), null, Map.of()), error());
        JsonNode card = JSON.readTree(server.requests().get(0).body()).path("cards").get(0);
        assertThat(card.path("header").path("title").asText())
                .isEqualTo("kustomization/podinfo.apps");
        assertThat(
                        card.path("sections")
                                .get(0)
                                .path("widgets")
                                .get(0)
                                .path("textParagraph")
                                .path("text")
                                .asText())
                .isEqualTo("<font color=\"#ff0000\">health check failed</font>");
        assertThat(card.path("sections").get(1).path("widgets")).hasSize(2);
    }

    @Test
    void alertmanagerGetsOneFiringAlertNamedInTitleCase() throws Exception {
        send(provider("alertmanager", server.url("/api/v2/alerts"), "am-token", Map.of()), error());
        RecordingServer.Recorded request = server.requests().get(0);
        assertThat(request.header("Authorization")).isEqualTo("Bearer am-token");
        JsonNode alert = JSON.readTree(request.body()).get(0);
        assertThat(alert.path("status").asText()).isEqualTo("firing");
        assertThat(alert.path("labels").path("alertname").asText())
                .isEqualTo("FluxKustomizationHealthcheckfailed");
        assertThat(alert.path("labels").path("revision").asText()).isEqualTo("main@sha1:" + SHA);
        assertThat(alert.path("labels").has("summary")).isFalse();
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("prod");
        assertThat(alert.path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void gitHubEnterpriseGetsACommitStatusOnceForTheSameState() throws Exception {
        ProviderSettings github = provider("github", server.url("/org/app.git"), "ghp_1", Map.of());
        send(github, error());
        assertThat(server.requests()).hasSize(2);
        RecordingServer.Recorded listed = server.requests().get(0);
        assertThat(listed.path())
                .isEqualTo("/api/v3/repos/org/app/commits/" + SHA + "/statuses?per_page=50");
        RecordingServer.Recorded created = server.requests().get(1);
        assertThat(created.path()).isEqualTo("/api/v3/repos/org/app/statuses/" + SHA);
        assertThat(created.header("Authorization")).isEqualTo("Bearer ghp_1");
        assertThat(JSON.readTree(created.body()))
                .isEqualTo(
                        JSON.readTree(
                                "{\"state\":\"failure\",\"description\":\"health check failed\",\"context\":\"kustomization/podinfo/0c9c2e41\"}"));

        server.reply(
                200,
                "[{\"context\":\"kustomization/podinfo/0c9c2e41\",\"state\":\"failure\",\"description\":\"health check failed\"}]");
        send(github, error());
        assertThat(server.requests()).as("the same status is not posted again").hasSize(3);
    }

    @Test
    void gitLabGetsACommitStatusOnTheEscapedProject() throws Exception {
        send(provider("gitlab", server.url("/group/sub/app.x.git"), "glpat-1", Map.of()), error());
        RecordingServer.Recorded created = server.requests().get(1);
        assertThat(created.path())
                .isEqualTo("/api/v4/projects/group%2Fsub%2Fapp%2Ex/statuses/" + SHA);
        assertThat(created.header("Private-Token")).isEqualTo("glpat-1");
        assertThat(JSON.readTree(created.body()).path("state").asText()).isEqualTo("failed");
    }

    @Test
    void aCommitStatusNeedsACommitAndSkipsProgressing() throws Exception {
        ProviderSettings github = provider("github", server.url("/org/app"), "ghp_1", Map.of());
        FluxEvent chart = error().withMetadata(Map.of("revision", "6.5.0"));
        assertThatThrownBy(() -> send(github, chart))
                .hasMessage("failed to extract commit hash from '6.5.0' revision");
        FluxEvent progressing =
                new FluxEvent(
                        error().involvedObject(),
                        "info",
                        "2026-11-29T08:00:00Z",
                        "m",
                        "Progressing",
                        error().metadata(),
                        "kustomize-controller",
                        "");
        send(github, progressing);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aTypeSluiceDoesNotSendToIsNamed() {
        assertThatThrownBy(
                        () ->
                                Notifiers.create(
                                        provider("telegram", server.url("/"), null, Map.of()),
                                        "id"))
                .hasMessage(
                        "failed to initialize notifier: provider telegram not supported by Sluice");
    }

    private static void send(ProviderSettings provider, FluxEvent event) throws Exception {
        Notifiers.create(provider, "kustomization/podinfo/0c9c2e41")
                .post(event, new Delivery(provider.http(), provider.timeout()));
    }

    private static ProviderSettings provider(
            String type, String address, String token, Map<String, String> headers) {
        return new ProviderSettings(
                type,
                address,
                "#ops",
                null,
                token,
                null,
                headers,
                Duration.ofSeconds(5),
                HttpClient.newHttpClient(),
                java.util.Set.of());
    }

    private static FluxEvent error() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("revision", "main@sha1:" + SHA);
        metadata.put("summary", "prod");
        return new FluxEvent(
                new FluxEvent.InvolvedObject(
                        "Kustomization",
                        "apps",
                        "podinfo",
                        "u-1",
                        "kustomize.toolkit.fluxcd.io/v1"),
                "error",
                "2026-11-29T08:00:00Z",
                "health check failed",
                "HealthCheckFailed",
                metadata,
                "kustomize-controller",
                "health-0");
    }

    private static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
