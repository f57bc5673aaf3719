package io.sluice.contracts.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelmValuesTest {

    @Test
    void valuesMergeInFluxsOrder() {
        Map<String, Object> merged =
                HelmValues.merge(
                        List.of(
                                Map.of(
                                        "image",
                                        Map.of("repository", "podinfo", "tag", "1.0"),
                                        "replicas",
                                        1),
                                Map.of("image", Map.of("tag", "2.0"), "ports", List.of(80)),
                                Map.of("replicas", 3, "ports", List.of(8080))));
        assertThat(merged)
                .isEqualTo(
                        Map.of(
                                "image",
                                Map.of("repository", "podinfo", "tag", "2.0"),
                                "replicas",
                                3,
                                "ports",
                                List.of(8080)));
    }

    @Test
    void theDigestIgnoresKeyOrderAndSeesEveryValue() {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("a", 1);
        one.put("b", Map.of("c", "x"));
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("b", Map.of("c", "x"));
        other.put("a", 1);
        assertThat(HelmValues.digest(one))
                .isEqualTo(HelmValues.digest(other))
                .startsWith("sha256:")
                .hasSize(71);
        assertThat(HelmValues.digest(Map.of("a", 2, "b", Map.of("c", "x"))))
                .isNotEqualTo(HelmValues.digest(one));
    }
}
