package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.contracts.events.ChartRelease;
import io.sluice.contracts.helm.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseHistoryTest {
    private static final ReleaseTests TESTS =
            new ReleaseTests(
                    true, false, java.time.Duration.ofMinutes(5), List.of(), List.of(), null, null);
    private static final ChartRelease RELEASE =
            new ChartRelease("podinfo", "apps", "podinfo", "6.9.4", "6.9.4", "sha256:aa", null);

    @Test
    void newestFirstDownToThePreviousDeployedRevision() {
        List<Snapshot> history =
                ReleaseHistory.snapshots(
                        stored("superseded", "superseded", "deployed", "failed", "failed"), TESTS);
        assertThat(history)
                .extracting(s -> s.version, s -> s.status)
                .containsExactly(tuple(5, "failed"), tuple(4, "failed"), tuple(3, "deployed"));
        Snapshot latest = history.get(0);
        assertThat(latest.name).isEqualTo("podinfo");
        assertThat(latest.namespace).isEqualTo("apps");
        assertThat(latest.chartName).isEqualTo("podinfo");
        assertThat(latest.chartVersion).isEqualTo("6.9.4");
        assertThat(latest.appVersion).isEqualTo("6.9.4");
        assertThat(latest.configDigest).isEqualTo("sha256:aa");
        assertThat(latest.digest).matches("sha256:[0-9a-f]{64}");
        assertThat(latest.firstDeployed).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(latest.deleted).isNull();
    }

    @Test
    void withoutAnEarlierDeployedRevisionTheNewestFive() {
        assertThat(
                        ReleaseHistory.snapshots(
                                stored(
                                        "failed", "failed", "failed", "failed", "failed", "failed",
                                        "failed"),
                                TESTS))
                .extracting(s -> s.version)
                .containsExactly(7, 6, 5, 4, 3);
        assertThat(ReleaseHistory.snapshots(stored("deployed"), TESTS))
                .extracting(s -> s.version)
                .containsExactly(1);
        assertThat(ReleaseHistory.snapshots(List.of(), TESTS)).isEmpty();
    }

    /** Revisions 1..n with these statuses, oldest first. */
    private static List<ReleaseStorage.Stored> stored(String... statuses) {
        List<ReleaseStorage.Stored> stored = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            ReleaseRecord record =
                    ReleaseRecord.create(
                            RELEASE,
                            i + 1,
                            statuses[i],
                            "",
                            java.util.Map.of(),
                            "",
                            List.of(),
                            Instant.parse("2026-11-28T10:00:00Z"),
                            Instant.parse("2026-11-28T11:00:00Z"));
            stored.add(
                    new ReleaseStorage.Stored(
                            record,
                            "attempt",
                            "render",
                            "sha256:aa",
                            "",
                            true,
                            Instant.now(),
                            List.of()));
        }
        return stored;
    }
}
