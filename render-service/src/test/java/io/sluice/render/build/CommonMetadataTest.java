package io.sluice.render.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommonMetadataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void labelsAndAnnotationsGoOnEveryObjectsOwnMetadataReplacingTheSameKey() throws Exception {
        Map<String, Object> deployment =
                new LinkedHashMap<>(
                        Map.of(
                                "kind",
                                "Deployment",
                                "metadata",
                                new LinkedHashMap<>(
                                        Map.of(
                                                "name",
                                                "web",
                                                "labels",
                                                Map.of("team", "old", "app", "web"))),
                                "spec",
                                Map.of("selector", Map.of("matchLabels", Map.of("app", "web")))));
        Map<String, Object> configMap =
                new LinkedHashMap<>(
                        Map.of(
                                "kind",
                                "ConfigMap",
                                "metadata",
                                new LinkedHashMap<>(Map.of("name", "c"))));
        CommonMetadata.apply(
                List.of(deployment, configMap),
                JSON.readTree(
                        "{\"labels\":{\"team\":\"platform\"},\"annotations\":{\"owner\":\"sre\"}}"));

        assertThat(deployment)
                .extracting("metadata")
                .extracting("labels")
                .isEqualTo(Map.of("team", "platform", "app", "web"));
        assertThat(deployment)
                .extracting("metadata")
                .extracting("annotations")
                .isEqualTo(Map.of("owner", "sre"));
        assertThat(deployment)
                .extracting("spec")
                .isEqualTo(Map.of("selector", Map.of("matchLabels", Map.of("app", "web"))));
        assertThat(configMap)
                .extracting("metadata")
                .extracting("labels")
                .isEqualTo(Map.of("team", "platform"));
    }

    @Test
    void withoutCommonMetadataNothingChanges() {
        Map<String, Object> configMap =
                new LinkedHashMap<>(
                        Map.of(
                                "kind",
                                "ConfigMap",
                                "metadata",
                                new LinkedHashMap<>(Map.of("name", "c"))));
        CommonMetadata.apply(List.of(configMap), null);
        assertThat(configMap)
                .isEqualTo(Map.of("kind", "ConfigMap", "metadata", Map.of("name", "c")));
    }
}
