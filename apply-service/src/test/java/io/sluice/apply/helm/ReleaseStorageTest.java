package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.ChartRelease;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseStorageTest {
    private static final ChartRelease RELEASE =
            new ChartRelease("podinfo", "apps", "podinfo", "6.9.4", "6.9.4", "sha256:00", null);

    @Test
    void aRecordIsStoredAsHelmStoresItGzippedJsonInBase64() throws Exception {
        ReleaseRecord record =
                ReleaseRecord.create(
                        RELEASE,
                        3,
                        ReleaseRecord.PENDING_UPGRADE,
                        "Preparing upgrade",
                        Map.of("replicas", 2, "port", "9898"),
                        Manifest.yaml(List.of(HookTest.object("ConfigMap", "settings", Map.of()))),
                        List.of(
                                Hook.of(
                                                HookTest.object(
                                                        "Job",
                                                        "migrate",
                                                        Map.of("helm.sh/hook", "pre-upgrade")))
                                        .orElseThrow()),
                        Instant.parse("2026-11-28T10:00:00Z"),
                        Instant.parse("2026-11-28T11:00:00Z"));
        String stored = ReleaseStorage.encode(record);
        byte[] bytes = Base64.getDecoder().decode(stored);
        assertThat(bytes).startsWith(0x1f, 0x8b, 0x08);

        ReleaseRecord read = ReleaseStorage.decode(stored);
        assertThat(read.name()).isEqualTo("podinfo");
        assertThat(read.namespace()).isEqualTo("apps");
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.status()).isEqualTo("pending-upgrade");
        assertThat(read.chart()).isEqualTo("podinfo@6.9.4");
        assertThat(read.display()).isEqualTo("apps/podinfo.v3");
        assertThat(read.firstDeployed()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(Manifest.objects(read.manifest()))
                .extracting(o -> o.getMetadata().getName())
                .containsExactly("settings");
        assertThat(read.hooks())
                .extracting(h -> h.object().getMetadata().getName())
                .containsExactly("migrate");
    }

    @Test
    void aRecordHelmWroteIsReadWithItsSourceCommentsAndKeptWholeWhenItsStatusChanges() {
        String json =
                """
                {"name":"web","info":{"first_deployed":"2026-01-02T15:04:05.123456789Z","last_deployed":"2026-01-02T15:04:05Z",
                 "deleted":"","description":"Install complete","status":"deployed"},
                 "chart":{"metadata":{"name":"web","version":"1.0.0","appVersion":"2"},"templates":[{"name":"templates/cm.yaml","data":"YQ=="}],
                 "values":{"x":1}},
                 "config":{"replicas":2},
                 "manifest":"---\\n# Source: web/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\n---\\n# Source: web/templates/empty.yaml\\n",
                 "version":1,"namespace":"apps"}""";
        ReleaseRecord helms =
                ReleaseStorage.decode(
                        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(Manifest.objects(helms.manifest()))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly("ConfigMap/web");
        assertThat(helms.hooks()).isEmpty();

        ReleaseRecord superseded =
                ReleaseStorage.decode(
                        ReleaseStorage.encode(
                                helms.withStatus(ReleaseRecord.SUPERSEDED, null, Instant.now())));
        assertThat(superseded.status()).isEqualTo("superseded");
        assertThat(superseded.description()).isEqualTo("Install complete");
        assertThat(superseded.json().path("config").path("replicas").asInt()).isEqualTo(2);
        assertThat(superseded.json().path("chart").path("templates").get(0).path("name").asText())
                .isEqualTo("templates/cm.yaml");
    }

    @Test
    void stringsThatLookLikeNumbersOrBooleansStayStringsInAStoredManifest() {
        var object = HookTest.object("ConfigMap", "settings", Map.of());
        object.setAdditionalProperty(
                "data", Map.of("port", "9898", "enabled", "true", "empty", "", "nothing", "null"));
        var read = Manifest.objects(Manifest.yaml(List.of(object))).get(0);
        assertThat(read.getAdditionalProperties().get("data"))
                .isEqualTo(
                        Map.of("port", "9898", "enabled", "true", "empty", "", "nothing", "null"));
    }

    @Test
    void secretNamesAreHelms() {
        assertThat(ReleaseStorage.secretName("podinfo", 12))
                .isEqualTo("sh.helm.release.v1.podinfo.v12");
    }
}
