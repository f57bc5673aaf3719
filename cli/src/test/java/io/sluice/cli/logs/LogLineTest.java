package io.sluice.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLineTest {
    @Test
    void theObjectComesFromTheMdcAndTheLineIsPrintedAsFluxLogsDoes() {
        LogLine line =
                LogLine.parse(
                                "render-service",
                                "{\"timestamp\":\"2026-11-29T08:43:56.559Z\",\"level\":\"INFO\",\"message\":\"rendered 7 objects\",\"mdc\":{\"object\":\"Kustomization/flux-system/apps\",\"revision\":\"main@sha1:3ffe\"}}")
                        .orElseThrow();
        assertThat(line.render())
                .isEqualTo(
                        "2026-11-29T08:43:56.559Z info Kustomization/apps.flux-system - rendered 7 objects");
    }

    @Test
    void withoutAnMdcObjectTheMessageNamesIt() {
        LogLine line =
                LogLine.parse(
                                "health-service",
                                "{\"timestamp\":\"2026-11-29T08:43:58Z\",\"level\":\"WARN\",\"message\":\"Alert on-call: Kustomization/web/app failed\",\"mdc\":{}}")
                        .orElseThrow();
        assertThat(line.kind()).isEqualTo("Kustomization");
        assertThat(line.namespace()).isEqualTo("web");
        assertThat(line.name()).isEqualTo("app");
        assertThat(line.level()).isEqualTo("warn");
    }

    @Test
    void aLineThatIsNoJsonRecordIsSkipped() {
        assertThat(LogLine.parse("apply-service", "Exception in thread main")).isEmpty();
        assertThat(LogLine.parse("apply-service", "{not json")).isEmpty();
    }
}
