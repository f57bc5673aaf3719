package io.sluice.apply.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.StatusPatches;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code flux reconcile hr --force} and {@code --reset}: the annotations {@code
 * reconcile.fluxcd.io/forceAt} and {@code resetAt}, honoured as helm-controller honours them: only
 * when the value equals the {@code requestedAt} of the attempt being applied (not of a render made
 * before the request), that request is not handled yet, and the value is not the last one handled.
 * The value is recorded as handled ({@code status.lastHandledForceAt}, {@code lastHandledResetAt})
 * whether or not it was honoured.
 */
record AnnotationRequests(boolean force, boolean reset) {
    static final String FORCE_AT = "reconcile.fluxcd.io/forceAt";
    static final String RESET_AT = "reconcile.fluxcd.io/resetAt";

    static AnnotationRequests of(HelmRelease release, String attemptRequestedAt) {
        var status = release.getStatus();
        return new AnnotationRequests(
                honoured(
                        release,
                        attemptRequestedAt,
                        FORCE_AT,
                        status == null ? null : status.lastHandledForceAt),
                honoured(
                        release,
                        attemptRequestedAt,
                        RESET_AT,
                        status == null ? null : status.lastHandledResetAt));
    }

    /** A reset honoured: the three failure counts written as zero. */
    static void writeReset(KubernetesClient client, HelmRelease release) {
        StatusPatches.merge(
                client,
                HelmRelease.class,
                release.getMetadata().getNamespace(),
                release.getMetadata().getName(),
                Map.of("failures", 0, "installFailures", 0, "upgradeFailures", 0));
    }

    /** Records the annotations present as handled. */
    static void recordHandled(KubernetesClient client, HelmRelease release) {
        Map<String, String> annotations = annotations(release);
        Map<String, Object> handled = new HashMap<>();
        var status = release.getStatus();
        String force = annotations.get(FORCE_AT);
        if (force != null && !force.equals(status == null ? null : status.lastHandledForceAt)) {
            handled.put("lastHandledForceAt", force);
        }
        String reset = annotations.get(RESET_AT);
        if (reset != null && !reset.equals(status == null ? null : status.lastHandledResetAt)) {
            handled.put("lastHandledResetAt", reset);
        }
        if (!handled.isEmpty()) {
            StatusPatches.merge(
                    client,
                    HelmRelease.class,
                    release.getMetadata().getNamespace(),
                    release.getMetadata().getName(),
                    handled);
        }
    }

    private static boolean honoured(
            HelmRelease release, String requestedAt, String annotation, String lastHandled) {
        String value = annotations(release).get(annotation);
        String handledRequest =
                release.getStatus() == null ? null : release.getStatus().lastHandledReconcileAt;
        return value != null
                && value.equals(requestedAt)
                && !Objects.equals(requestedAt, handledRequest)
                && !value.equals(lastHandled);
    }

    private static Map<String, String> annotations(HelmRelease release) {
        Map<String, String> annotations = release.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
