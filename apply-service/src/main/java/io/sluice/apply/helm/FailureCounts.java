package io.sluice.apply.helm;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ChartRelease;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmReleaseStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * helm-controller's failure record, kept in the HelmRelease's status so that it survives any
 * restart: which action was last attempted ({@code install} or {@code upgrade}: its remediation
 * settings govern) and how often each failed. Every count starts again at zero when the generation,
 * the chart revision or the values change.
 */
record FailureCounts(String action, long install, long upgrade, long failures) {

    /** The counts as stored. */
    static FailureCounts stored(HelmRelease release) {
        HelmReleaseStatus status = release.getStatus();
        return status == null
                ? new FailureCounts(null, 0, 0, 0)
                : new FailureCounts(
                        status.lastAttemptedReleaseAction,
                        count(status.installFailures),
                        count(status.upgradeFailures),
                        count(status.failures));
    }

    /**
     * The counts for a new reconcile of {@code attempt}: zero again if what is attempted changed.
     */
    static FailureCounts of(HelmRelease release, Attempt attempt, ChartRelease target) {
        HelmReleaseStatus status = release.getStatus();
        if (status == null) {
            return new FailureCounts(null, 0, 0, 0);
        }
        boolean reset =
                !Objects.equals(status.lastAttemptedGeneration, attempt.generation())
                        || !Objects.equals(status.lastAttemptedRevision, attempt.revision())
                        || !Objects.equals(status.lastAttemptedConfigDigest, target.configDigest());
        return reset
                ? new FailureCounts(status.lastAttemptedReleaseAction, 0, 0, 0)
                : stored(release);
    }

    /** {@code flux reconcile hr --reset}: every count back to zero. */
    FailureCounts reset() {
        return new FailureCounts(action, 0, 0, 0);
    }

    /** The failures of the action last attempted. */
    long active() {
        return ReleasePolicy.INSTALL.equals(action) ? install : upgrade;
    }

    FailureCounts attempting(String next) {
        return new FailureCounts(next, install, upgrade, failures);
    }

    /**
     * One more failure of {@code action} (which a release written to storage counts, as in
     * helm-controller).
     */
    FailureCounts failed(String failedAction) {
        boolean install = ReleasePolicy.INSTALL.equals(failedAction);
        return new FailureCounts(
                failedAction,
                this.install + (install ? 1 : 0),
                upgrade + (install ? 0 : 1),
                failures + 1);
    }

    /**
     * A failure that is no release's (a stale release unlocked, a failed remediation): only the
     * total moves.
     */
    FailureCounts otherFailure() {
        return new FailureCounts(action, install, upgrade, failures + 1);
    }

    /** The status fields: the counts, and what is being attempted when {@code target} is known. */
    Map<String, Object> status(Attempt attempt, ChartRelease target) {
        Map<String, Object> status = new HashMap<>();
        if (target != null) {
            status.put("lastAttemptedGeneration", attempt.generation());
            status.put("lastAttemptedRevision", attempt.revision());
            status.put("lastAttemptedConfigDigest", target.configDigest());
        }
        if (action != null) {
            status.put("lastAttemptedReleaseAction", action);
        }
        status.put("installFailures", install);
        status.put("upgradeFailures", upgrade);
        status.put("failures", failures);
        return status;
    }

    private static long count(Long value) {
        return value == null ? 0 : value;
    }
}
