package io.sluice.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * An applied object that was changed or deleted in the cluster and put back as Git has it; or, for
 * a HelmRelease with {@code driftDetection.mode: warn}, found drifted and left as it is ({@code
 * warnOnly}).
 *
 * @param owner the Kustomization or HelmRelease the object belongs to
 * @param fields the paths that had drifted (empty when the object was recreated)
 * @param changedBy the field managers that last wrote the object before the correction (kubectl, a
 *     controller...)
 * @param warnOnly found and reported, not corrected
 */
public record DriftCorrected(
        ObjectRef owner,
        String revision,
        AppliedObject object,
        boolean recreated,
        List<String> fields,
        List<String> changedBy,
        Instant correctedAt,
        boolean warnOnly) {
    public static final String TYPE = "io.sluice.drift.corrected.v1";

    public String describe() {
        if (recreated) {
            return object.display()
                    + (warnOnly
                            ? " was deleted; left as it is (driftDetection mode warn)"
                            : " was deleted and has been recreated");
        }
        return object.display()
                + " drifted ("
                + String.join(", ", fields)
                + ")"
                + (changedBy.isEmpty() ? "" : " by " + String.join(", ", changedBy))
                + (warnOnly
                        ? "; left as it is (driftDetection mode warn)"
                        : " and has been corrected");
    }
}
