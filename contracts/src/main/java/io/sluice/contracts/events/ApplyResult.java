package io.sluice.contracts.events;

import java.util.List;

/**
 * apply-service applied (or refused or failed to apply) one attempt; {@code changes} is the change
 * set, prunes included.
 */
public record ApplyResult(Attempt attempt, List<AppliedObject> changes, Failure failure) {
    public static final String TYPE = "io.sluice.applied.v1";

    public static ApplyResult applied(Attempt attempt, List<AppliedObject> changes) {
        return new ApplyResult(attempt, List.copyOf(changes), null);
    }

    public static ApplyResult failed(Attempt attempt, Failure failure) {
        return new ApplyResult(attempt, List.of(), failure);
    }
}
