package io.sluice.apply.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contracts.events.ChartRelease;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseTestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Hook> HOOKS =
            List.of(
                    hook("smoke", "test"),
                    hook("legacy", "test-success"),
                    hook("setup", "pre-install"));

    @Test
    void offByDefaultWithTheReleasesTimeout() {
        ReleaseTests tests = ReleaseTests.of(release("{}", "{}", "{}"), Duration.ofMinutes(3));
        assertThat(tests.enabled()).isFalse();
        assertThat(tests.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(tests.countsAgainst(ReleasePolicy.INSTALL)).isTrue();
    }

    @Test
    void filtersSelectTestHooksByExactNameExcludedFirst() {
        assertThat(names(tests("{\"enable\":true}").select(HOOKS)))
                .as("Helm 2's test-success is a test")
                .containsExactly("smoke", "legacy");
        assertThat(
                        names(
                                tests("{\"filters\":[{\"name\":\"legacy\",\"exclude\":true}]}")
                                        .select(HOOKS)))
                .containsExactly("smoke");
        assertThat(
                        names(
                                tests(
                                                "{\"filters\":[{\"name\":\"legacy\"},{\"name\":\"legacy\",\"exclude\":true},{\"name\":\"smok\"}]}")
                                        .select(HOOKS)))
                .isEmpty();
    }

    @Test
    void testedOnceEverySelectedHookSucceededOrOneFailed() {
        ReleaseTests tests = tests("{\"enable\":true}");
        ReleaseRecord record = record();
        assertThat(tests.tested(record)).isFalse();
        ReleaseRecord oneRan = record.withLastRun("smoke", run("Succeeded"));
        assertThat(tests.tested(oneRan)).as("legacy has not run yet").isFalse();
        assertThat(tests.tested(oneRan.withLastRun("legacy", run("Running")))).isFalse();
        ReleaseRecord bothRan = oneRan.withLastRun("legacy", run("Succeeded"));
        assertThat(tests.tested(bothRan)).isTrue();
        assertThat(tests.failed(bothRan)).isFalse();
        ReleaseRecord failed = record.withLastRun("smoke", run("Failed"));
        assertThat(tests.tested(failed)).isTrue();
        assertThat(tests.failed(failed)).isTrue();
        assertThat(tests("{\"filters\":[{\"name\":\"smoke\",\"exclude\":true}]}").failed(failed))
                .as("a hook left out by the filters does not count")
                .isFalse();
    }

    @Test
    void remediationIgnoresTestFailuresAsItsOwnSettingSaysElseAsTheTestSays() {
        assertThat(tests("{\"ignoreFailures\":true}").countsAgainst(ReleasePolicy.UPGRADE))
                .isFalse();
        ReleaseTests mixed =
                ReleaseTests.of(
                        release(
                                "{\"ignoreFailures\":true}",
                                "{\"remediation\":{\"ignoreTestFailures\":false}}",
                                "{}"),
                        Duration.ofMinutes(5));
        assertThat(mixed.countsAgainst(ReleasePolicy.INSTALL)).isTrue();
        assertThat(mixed.countsAgainst(ReleasePolicy.UPGRADE)).isFalse();
    }

    @Test
    void aRunLeavesTheDigestedRecordAsItWas() {
        ReleaseRecord record = record();
        assertThat(
                        ReleaseStorage.encode(
                                record.withLastRun("smoke", run("Failed")).withoutTestRuns()))
                .isEqualTo(ReleaseStorage.encode(record.withoutTestRuns()));
    }

    private static ReleaseRecord.HookRun run(String phase) {
        return new ReleaseRecord.HookRun("2026-11-29T04:00:00Z", "", phase);
    }

    private static ReleaseRecord record() {
        return ReleaseRecord.create(
                new ChartRelease("r", "apps", "c", "1.0.0", "", "sha256:0", null),
                1,
                ReleaseRecord.DEPLOYED,
                "Install complete",
                Map.of(),
                "",
                HOOKS,
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static List<String> names(List<Hook> hooks) {
        return hooks.stream().map(Hook::name).toList();
    }

    private static Hook hook(String name, String event) {
        return Hook.of(HookTest.object("Pod", name, Map.of("helm.sh/hook", event))).orElseThrow();
    }

    private static ReleaseTests tests(String test) {
        return ReleaseTests.of(release(test, "{}", "{}"), Duration.ofMinutes(5));
    }

    private static HelmRelease release(String test, String install, String upgrade) {
        try {
            HelmRelease release = new HelmRelease();
            release.setSpec(new HelmReleaseSpec());
            release.getSpec().test = JSON.readTree(test);
            release.getSpec().install = JSON.readTree(install);
            release.getSpec().upgrade = JSON.readTree(upgrade);
            return release;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
