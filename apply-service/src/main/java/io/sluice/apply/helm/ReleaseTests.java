package io.sluice.apply.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a HelmRelease's {@code spec.test} says, with helm-controller's defaults: off; each hook
 * waited for at most {@code test.timeout}, else the release's timeout; {@code filters} select hooks
 * by exact name (an excluded name is left out first; then, when any name is included, only those);
 * a failure counts against the remediation of the action last attempted unless its {@code
 * remediation.ignoreTestFailures} says otherwise, which defaults to {@code test.ignoreFailures}.
 */
record ReleaseTests(
        boolean enabled,
        boolean ignoreFailures,
        Duration timeout,
        List<String> included,
        List<String> excluded,
        Boolean installIgnoresFailures,
        Boolean upgradeIgnoresFailures) {

    static ReleaseTests of(HelmRelease release, Duration releaseTimeout) {
        JsonNode test = release.getSpec().test;
        JsonNode spec = test == null ? MissingNode.getInstance() : test;
        List<String> included = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (JsonNode filter : spec.path("filters")) {
            (filter.path("exclude").asBoolean(false) ? excluded : included)
                    .add(filter.path("name").asText());
        }
        String timeout = spec.path("timeout").asText("");
        return new ReleaseTests(
                spec.path("enable").asBoolean(false),
                spec.path("ignoreFailures").asBoolean(false),
                timeout.isEmpty() ? releaseTimeout : GoDuration.parse(timeout),
                List.copyOf(included),
                List.copyOf(excluded),
                ignoreTestFailures(release.getSpec().install),
                ignoreTestFailures(release.getSpec().upgrade));
    }

    /** The hooks Helm's test action runs of {@code hooks}, in any order. */
    List<Hook> select(List<Hook> hooks) {
        return hooks.stream()
                .filter(h -> h.events().contains(Hook.TEST))
                .filter(h -> selected(h.name()))
                .toList();
    }

    /** The last runs of the selected test hooks, by name. */
    Map<String, ReleaseRecord.HookRun> runs(ReleaseRecord record) {
        Map<String, ReleaseRecord.HookRun> runs = record.lastRuns(Hook.TEST);
        runs.keySet().removeIf(name -> !selected(name));
        return runs;
    }

    /**
     * helm-controller's "has been tested": every selected test hook succeeded, or one failed. A
     * chart with none counts as tested (helm-controller marks that with an empty record, which
     * Helm's storage has no place for).
     */
    boolean tested(ReleaseRecord record) {
        Map<String, ReleaseRecord.HookRun> runs = runs(record);
        return failed(record)
                || runs.values().stream()
                        .allMatch(r -> ReleaseRecord.HookRun.SUCCEEDED.equals(r.phase()));
    }

    boolean failed(ReleaseRecord record) {
        return runs(record).values().stream()
                .anyMatch(r -> ReleaseRecord.HookRun.FAILED.equals(r.phase()));
    }

    /** Whether a failed test counts against the remediation of {@code action}. */
    boolean countsAgainst(String action) {
        Boolean ignores =
                ReleasePolicy.INSTALL.equals(action)
                        ? installIgnoresFailures
                        : upgradeIgnoresFailures;
        return !(ignores == null ? ignoreFailures : ignores);
    }

    private boolean selected(String name) {
        return !excluded.contains(name) && (included.isEmpty() || included.contains(name));
    }

    private static Boolean ignoreTestFailures(JsonNode section) {
        JsonNode value =
                section == null ? null : section.path("remediation").get("ignoreTestFailures");
        return value == null || value.isNull() ? null : value.asBoolean();
    }
}
