package io.sluice.contracts.events;

import java.util.List;

/**
 * apply-service applied (or refused or failed to apply) one attempt; {@code changes} is the change
 * set, prunes included. {@code pendingRelease}: the objects are a Helm revision not yet released —
 * their readiness is judged, but only apply-service's next result for the attempt (after the
 * post-install or post-upgrade hooks, with the revision recorded deployed) makes it Ready, as in
 * helm-controller, where a release is never Ready before its post hooks ran.
 */
public record ApplyResult(
        Attempt attempt,
        List<AppliedObject> changes,
        Failure failure,
        PendingRelease pendingRelease) {
    public static final String TYPE = "io.sluice.applied.v1";

    public static ApplyResult applied(Attempt attempt, List<AppliedObject> changes) {
        return new ApplyResult(attempt, List.copyOf(changes), null, null);
    }

    /** The objects of a Helm revision applied, the release not yet made: see the class comment. */
    public static ApplyResult pendingRelease(
            Attempt attempt, List<AppliedObject> changes, PendingRelease release) {
        return new ApplyResult(attempt, List.copyOf(changes), null, release);
    }

    public static ApplyResult failed(Attempt attempt, Failure failure) {
        return new ApplyResult(attempt, List.of(), failure, null);
    }
}
