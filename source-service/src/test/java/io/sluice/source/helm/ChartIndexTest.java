package io.sluice.source.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartIndexTest {
    @Test
    void ofEqualVersionsTheOnePackagedLastIsChosenAsInFlux() throws Exception {
        ChartIndex index =
                ChartIndex.parse(
                        """
                        entries:
                          app:
                          - {version: 1.0.0+b, created: "2026-01-02T00:00:00Z", urls: [b.tgz]}
                          - {version: 1.0.0+a, created: "2026-03-04T00:00:00.5+01:00", urls: [a.tgz]}
                          - {version: 0.9.0, created: "2026-12-31T00:00:00Z", urls: [old.tgz]}
                        """);
        assertThat(index.resolve("app", "*").version()).isEqualTo("1.0.0+a");
    }

    @Test
    void onlyThreePartVersionsAreCandidatesAsInFlux() throws Exception {
        ChartIndex index =
                ChartIndex.parse(
                        """
                        entries:
                          app:
                          - {version: "2.0", urls: [two.tgz]}
                          - {version: 1.5.0, urls: [one.tgz]}
                        """);
        assertThat(index.resolve("app", "*").version()).isEqualTo("1.5.0");
        assertThat(index.resolve("app", "2.0").version())
                .as("an exact match is taken as it is")
                .isEqualTo("2.0");
    }
}
