package io.sluice.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLineTest {
    @Test
    void theObjectComesFromTheRecordAndTheLineIsPrintedAsFluxLogsDoes() {
        LogLine line =
                LogLine.parse(
                                "render-service",
                                "{\"level\":\"info\",\"ts\":\"2026-11-29T08:43:56.559Z\",\"logger\":\"io.sluice.render.publish.RenderPublisher\",\"msg\":\"rendered 7 objects\",\"controllerKind\":\"Kustomization\",\"namespace\":\"flux-system\",\"name\":\"apps\",\"revision\":\"main@sha1:3ffe\"}")
                        .orElseThrow();
        assertThat(line.render())
                .isEqualTo(
                        "2026-11-29T08:43:56.559Z info Kustomization/apps.flux-system - rendered 7 objects");
    }

    @Test
    void withoutAnObjectInTheRecordTheMessageNamesIt() {
        LogLine line =
                LogLine.parse(
                                "health-service",
                                "{\"level\":\"error\",\"ts\":\"2026-11-29T08:43:58.000Z\",\"msg\":\"Alert on-call: Kustomization/web/app failed\"}")
                        .orElseThrow();
        assertThat(line.kind()).isEqualTo("Kustomization");
        assertThat(line.namespace()).isEqualTo("web");
        assertThat(line.name()).isEqualTo("app");
        assertThat(line.level()).isEqualTo("error");
    }

    @Test
    void aLineWrittenBeforeStartupInQuarkussJsonIsRead() {
        LogLine line =
                LogLine.parse(
                                "source-service",
                                "{\"ts\":\"2026-11-29T08:43:50.1Z\",\"sequence\":3,\"logger\":\"io.quarkus\",\"level\":\"WARN\",\"msg\":\"starting\"}")
                        .orElseThrow();
        assertThat(line.level()).isEqualTo("error");
        assertThat(line.kind()).isNull();
    }

    @Test
    void aLineThatIsNoJsonRecordIsSkipped() {
        assertThat(LogLine.parse("apply-service", "Exception in thread main")).isEmpty();
        assertThat(LogLine.parse("apply-service", "{not json")).isEmpty();
    }
}
