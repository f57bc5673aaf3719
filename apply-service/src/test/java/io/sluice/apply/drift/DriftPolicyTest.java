package io.sluice.apply.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHelmReleaseWithoutDriftDetectionLeavesDriftAsHelmControllerDoes() throws Exception {
        assertThat(DriftPolicy.of(null).mode()).isEqualTo(DriftPolicy.Mode.DISABLED);
        assertThat(DriftPolicy.of(JSON.readTree("{}")).mode()).isEqualTo(DriftPolicy.Mode.DISABLED);
        assertThat(DriftPolicy.of(JSON.readTree("{\"mode\":\"warn\"}")).mode())
                .isEqualTo(DriftPolicy.Mode.WARN);
        assertThat(DriftPolicy.of(JSON.readTree("{\"mode\":\"enabled\"}")).mode())
                .isEqualTo(DriftPolicy.Mode.ENABLED);
    }

    @Test
    void ignoreRulesApplyToTheObjectsTheirTargetSelects() throws Exception {
        DriftPolicy policy =
                DriftPolicy.of(
                        JSON.readTree(
                                """
                {"mode": "enabled", "ignore": [
                  {"paths": ["/spec/replicas"], "target": {"kind": "Deployment", "name": "web-.*", "labelSelector": "tier=front"}},
                  {"paths": ["/metadata/annotations/checksum"]}]}"""));
        assertThat(
                        policy.ignoredPaths(
                                object("apps/v1", "Deployment", "web-1", Map.of("tier", "front"))))
                .containsExactly("/spec/replicas", "/metadata/annotations/checksum");
        assertThat(
                        policy.ignoredPaths(
                                object("apps/v1", "Deployment", "web-1", Map.of("tier", "back"))))
                .containsExactly("/metadata/annotations/checksum");
        assertThat(
                        policy.ignoredPaths(
                                object("apps/v1", "Deployment", "api", Map.of("tier", "front"))))
                .containsExactly("/metadata/annotations/checksum");
        assertThat(
                        policy.ignoredPaths(
                                object("apps/v1", "StatefulSet", "web-1", Map.of("tier", "front"))))
                .containsExactly("/metadata/annotations/checksum");
    }

    private static GenericKubernetesResource object(
            String apiVersion, String kind, String name, Map<String, String> labels) {
        return Serialization.jsonMapper()
                .convertValue(
                        Map.of(
                                "apiVersion",
                                apiVersion,
                                "kind",
                                kind,
                                "metadata",
                                Map.of("name", name, "namespace", "apps", "labels", labels)),
                        GenericKubernetesResource.class);
    }
}
