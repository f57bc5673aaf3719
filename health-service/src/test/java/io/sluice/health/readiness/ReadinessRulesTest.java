package io.sluice.health.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessRulesTest {
    @Test
    void aDeploymentIsReadyWhenEveryReplicaIsUpdatedAndAvailable() {
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 2, 2)).ready()).isTrue();
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 2, 1)).message()).isEqualTo("1 of 2 replicas available");
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 1, 1)).message()).isEqualTo("1 of 2 replicas updated");
    }

    @Test
    void anUnobservedGenerationIsNotReady() {
        assertThat(ReadinessRules.of(deployment(1, 3, 2, 1, 1)).message()).contains("generation not yet observed");
    }

    @Test
    void aCrdIsReadyOnceEstablished() {
        Map<String, Object> crd = Map.of("kind", "CustomResourceDefinition", "metadata", Map.of(),
                "status", Map.of("conditions", List.of(Map.of("type", "Established", "status", "True"))));
        assertThat(ReadinessRules.of(crd).ready()).isTrue();
        assertThat(ReadinessRules.of(Map.of("kind", "CustomResourceDefinition", "metadata", Map.of())).ready()).isFalse();
    }

    @Test
    void otherKindsAreReadyWhenTheyExist() {
        assertThat(ReadinessRules.of(Map.of("kind", "ConfigMap", "metadata", Map.of())).ready()).isTrue();
        assertThat(ReadinessRules.of(null).message()).isEqualTo("not found");
    }

    private static Map<String, Object> deployment(long replicas, long generation, long observed, long updated, long available) {
        return Map.of("kind", "Deployment",
                "metadata", Map.of("generation", generation),
                "spec", Map.of("replicas", replicas),
                "status", Map.of("observedGeneration", observed, "updatedReplicas", updated, "availableReplicas", available));
    }
}
