package io.sluice.apply.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.apply.ignore.IgnoreRules;
import java.util.List;

/**
 * What is done about an owner's drifted objects. A Kustomization's are always corrected, but for
 * the paths its {@code spec.ignore} names. A HelmRelease's follow its {@code spec.driftDetection}
 * as helm-controller does: {@code disabled} (the default) leaves them, {@code warn} reports them,
 * {@code enabled} corrects them; its {@code ignore} rules name paths that are neither drift nor
 * corrected.
 */
public record DriftPolicy(Mode mode, IgnoreRules ignore) {
    public enum Mode {
        ENABLED,
        WARN,
        DISABLED
    }

    public static final DriftPolicy CORRECT = new DriftPolicy(Mode.ENABLED, IgnoreRules.NONE);

    /** A Kustomization's: corrected but for {@code spec.ignore}. */
    public static DriftPolicy correcting(IgnoreRules ignore) {
        return new DriftPolicy(Mode.ENABLED, ignore);
    }

    /** A HelmRelease's {@code spec.driftDetection}. */
    public static DriftPolicy of(JsonNode driftDetection) {
        if (driftDetection == null || driftDetection.isNull()) {
            return new DriftPolicy(Mode.DISABLED, IgnoreRules.NONE);
        }
        Mode mode =
                switch (driftDetection.path("mode").asText("")) {
                    case "enabled" -> Mode.ENABLED;
                    case "warn" -> Mode.WARN;
                    default -> Mode.DISABLED;
                };
        return new DriftPolicy(mode, IgnoreRules.of(driftDetection.get("ignore")));
    }

    /** The JSON pointers ignored on {@code object}. */
    public List<String> ignoredPaths(GenericKubernetesResource object) {
        return ignore.paths(object);
    }
}
