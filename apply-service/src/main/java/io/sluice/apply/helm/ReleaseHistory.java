package io.sluice.apply.helm;

import io.sluice.contracts.helm.Snapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release's stored revisions as helm-controller reports them in {@code status.history}: newest
 * first, down to the most recent earlier revision that was deployed or superseded (the one a
 * rollback would return to); when there is none, the newest five.
 */
final class ReleaseHistory {
    private static final int MAX_WITHOUT_PREVIOUS = 5;

    private ReleaseHistory() {}

    /**
     * {@code stored} oldest first, as {@link ReleaseStorage#history} lists it; test hooks as {@code
     * tests} filters them, as helm-controller records them.
     */
    static List<Snapshot> snapshots(List<ReleaseStorage.Stored> stored, ReleaseTests tests) {
        List<ReleaseStorage.Stored> newestFirst = new ArrayList<>(stored);
        newestFirst.sort((a, b) -> Integer.compare(b.record().version(), a.record().version()));
        int keep = Math.min(newestFirst.size(), MAX_WITHOUT_PREVIOUS);
        for (int i = 1; i < newestFirst.size(); i++) {
            String status = newestFirst.get(i).record().status();
            if (ReleaseRecord.DEPLOYED.equals(status) || ReleaseRecord.SUPERSEDED.equals(status)) {
                keep = i + 1;
                break;
            }
        }
        return newestFirst.subList(0, keep).stream().map(s -> snapshot(s, tests)).toList();
    }

    private static Snapshot snapshot(ReleaseStorage.Stored stored, ReleaseTests tests) {
        ReleaseRecord record = stored.record();
        Snapshot snapshot = new Snapshot();
        // as helm-controller: a test run leaves the digest as it was
        snapshot.digest = "sha256:" + sha256(ReleaseStorage.encode(record.withoutTestRuns()));
        snapshot.name = record.name();
        snapshot.namespace = record.namespace();
        snapshot.version = record.version();
        snapshot.status = record.status();
        snapshot.chartName = record.chartName();
        snapshot.chartVersion = record.chartVersion();
        snapshot.appVersion = record.appVersion().isEmpty() ? null : record.appVersion();
        snapshot.configDigest = stored.configDigest();
        snapshot.firstDeployed = record.firstDeployed().toString();
        snapshot.lastDeployed =
                record.lastDeployed().isEmpty() ? snapshot.firstDeployed : record.lastDeployed();
        snapshot.deleted = record.deleted().isEmpty() ? null : record.deleted();
        snapshot.testHooks = testHooks(tests.runs(record));
        return snapshot;
    }

    /** The test hooks' last runs, once any ran. */
    private static Map<String, Snapshot.TestHookStatus> testHooks(
            Map<String, ReleaseRecord.HookRun> runs) {
        if (runs.values().stream().allMatch(r -> r.phase().isEmpty())) {
            return null;
        }
        Map<String, Snapshot.TestHookStatus> hooks = new LinkedHashMap<>();
        runs.forEach(
                (name, run) -> {
                    Snapshot.TestHookStatus status = new Snapshot.TestHookStatus();
                    status.lastStarted = run.startedAt().isEmpty() ? null : run.startedAt();
                    status.lastCompleted = run.completedAt().isEmpty() ? null : run.completedAt();
                    status.phase = run.phase().isEmpty() ? null : run.phase();
                    hooks.put(name, status);
                });
        return hooks;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
