package io.sluice.contracts.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

/** The keys {@code flux logs} reads (its ControllerLogEntry), written as Flux's controllers do. */
class FluxLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FluxLogFormatter formatter = new FluxLogFormatter();

    @Test
    void aRecordAboutAnObjectNamesItAsFluxsControllersDo() throws Exception {
        ExtLogRecord record = record(Level.INFO, "applied %d objects", 7);
        record.putMdc("object", "Kustomization/flux-system/apps");
        record.putMdc("revision", "main@sha1:3ffe");
        record.setInstant(Instant.parse("2026-11-30T01:02:03.456789Z"));

        String line = formatter.format(record);

        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("info");
        assertThat(json.path("ts").asText()).isEqualTo("2026-11-30T01:02:03.456Z");
        assertThat(json.path("msg").asText()).isEqualTo("applied 7 objects");
        assertThat(json.path("logger").asText()).isEqualTo("io.sluice.test");
        assertThat(json.path("controllerKind").asText()).isEqualTo("Kustomization");
        assertThat(json.path("namespace").asText()).isEqualTo("flux-system");
        assertThat(json.path("name").asText()).isEqualTo("apps");
        assertThat(json.path("revision").asText()).isEqualTo("main@sha1:3ffe");
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void aFailureIsAnErrorWithItsCauseOnOneLine() throws Exception {
        ExtLogRecord record = record(Level.WARN, "fetch failed: %s", "connection \"refused\"");
        record.setThrown(new IllegalStateException("no route\nto host"));

        String line = formatter.format(record);

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("error");
        assertThat(json.path("msg").asText()).isEqualTo("fetch failed: connection \"refused\"");
        assertThat(json.path("error").asText())
                .isEqualTo("java.lang.IllegalStateException: no route\nto host");
        assertThat(json.path("stacktrace").asText()).contains("FluxLogFormatterTest");
        assertThat(json.has("controllerKind")).isFalse();
    }

    @Test
    void levelsAreFluxsThree() {
        assertThat(FluxLogFormatter.level(Level.FATAL)).isEqualTo("error");
        assertThat(FluxLogFormatter.level(Level.ERROR)).isEqualTo("error");
        assertThat(FluxLogFormatter.level(java.util.logging.Level.WARNING)).isEqualTo("error");
        assertThat(FluxLogFormatter.level(Level.INFO)).isEqualTo("info");
        assertThat(FluxLogFormatter.level(Level.DEBUG)).isEqualTo("debug");
        assertThat(FluxLogFormatter.level(Level.TRACE)).isEqualTo("debug");
    }

    private static ExtLogRecord record(Level level, String format, Object parameter) {
        ExtLogRecord record =
                new ExtLogRecord(level, format, ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {parameter});
        record.setLoggerName("io.sluice.test");
        return record;
    }
}
