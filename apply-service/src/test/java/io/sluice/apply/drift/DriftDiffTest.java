package io.sluice.apply.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftDiffTest {
    @Test
    void namesEachDriftedFieldAndIgnoresStatusAndBookkeeping() {
        Map<String, Object> live =
                Map.of(
                        "metadata",
                        Map.of("name", "web", "resourceVersion", "9", "labels", Map.of("a", "x")),
                        "spec",
                        Map.of(
                                "replicas",
                                5,
                                "template",
                                Map.of("containers", List.of(Map.of("image", "web:2")))),
                        "status",
                        Map.of("replicas", 5));
        Map<String, Object> desired =
                Map.of(
                        "metadata",
                        Map.of("name", "web", "resourceVersion", "10", "labels", Map.of("a", "x")),
                        "spec",
                        Map.of(
                                "replicas",
                                1,
                                "template",
                                Map.of("containers", List.of(Map.of("image", "web:1")))),
                        "status",
                        Map.of("replicas", 1));
        assertThat(DriftDiff.paths(live, desired))
                .containsExactly("spec.replicas", "spec.template.containers[0].image");
    }

    @Test
    void anAddedOrRemovedKeyIsDrift() {
        assertThat(
                        DriftDiff.paths(
                                Map.of("data", Map.of("a", "1", "extra", "2")),
                                Map.of("data", Map.of("a", "1"))))
                .containsExactly("data.extra");
        assertThat(
                        DriftDiff.paths(
                                Map.of("data", Map.of("a", "1")), Map.of("data", Map.of("a", "1"))))
                .isEmpty();
    }
}
