package io.sluice.render.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseNamingTest {
    @Test
    void releaseNameAsFluxComputesIt() {
        assertThat(ReleaseNaming.releaseName("podinfo", null, null)).isEqualTo("podinfo");
        assertThat(ReleaseNaming.releaseName("podinfo", "apps", null)).isEqualTo("apps-podinfo");
        assertThat(ReleaseNaming.releaseName("podinfo", "apps", "web")).isEqualTo("web");
        assertThat(ReleaseNaming.namespace("flux-system", "apps")).isEqualTo("apps");
        assertThat(ReleaseNaming.namespace("flux-system", null)).isEqualTo("flux-system");
    }

    @Test
    void aNameLongerThanHelmAllowsIsShortenedWithAHash() {
        String longName = "some-front-appended-namespace-release-with-a-very-long-name";
        String shortened = ReleaseNaming.releaseName(longName, null, null);
        assertThat(shortened).hasSize(53).startsWith(longName.substring(0, 40) + "-").matches(".*-[0-9a-f]{12}");
        assertThat(ReleaseNaming.releaseName(longName, null, null)).isEqualTo(shortened);
    }

    @Test
    void valuesMergeInFluxsOrder() {
        Map<String, Object> merged = HelmValues.merge(List.of(
                Map.of("image", Map.of("repository", "podinfo", "tag", "1.0"), "replicas", 1),
                Map.of("image", Map.of("tag", "2.0"), "ports", List.of(80)),
                Map.of("replicas", 3, "ports", List.of(8080))));
        assertThat(merged).isEqualTo(Map.of(
                "image", Map.of("repository", "podinfo", "tag", "2.0"), "replicas", 3, "ports", List.of(8080)));
    }
}
