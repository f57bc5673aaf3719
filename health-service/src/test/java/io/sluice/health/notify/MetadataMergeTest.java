package io.sluice.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.notification.AlertSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataMergeTest {
    @Test
    void annotationsThenEventMetadataThenSummaryThenTheControllersKeys() {
        AlertSpec alert = new AlertSpec();
        alert.eventMetadata = Map.of("env", "prod", "summary", "from eventMetadata");
        alert.summary = "from spec.summary";
        MetadataMerge.Merged merged =
                MetadataMerge.merge(
                        Map.of(
                                "event.toolkit.fluxcd.io/env", "staging",
                                "event.toolkit.fluxcd.io/team", "web",
                                "kustomize.toolkit.fluxcd.io/ignored", "x"),
                        alert,
                        Map.of("revision", "main@sha1:abc"));
        assertThat(merged.metadata())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "env", "prod",
                                "team", "web",
                                "summary", "from spec.summary",
                                "revision", "main@sha1:abc"));
        assertThat(merged.conflicts())
                .containsOnlyKeys("env", "summary")
                .containsEntry(
                        "env",
                        List.of("involved object annotations", "Alert object .spec.eventMetadata"));
    }

    @Test
    void noConflictWhenEachKeyHasOneSource() {
        AlertSpec alert = new AlertSpec();
        alert.eventMetadata = Map.of("cluster", "eu-1");
        assertThat(MetadataMerge.merge(null, alert, Map.of("revision", "r")).conflicts()).isEmpty();
    }
}
