package io.sluice.apply.helm;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.meta.StatusPatches;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The HelmRelease conditions that tell its release story, as helm-controller sets them: {@code
 * Released} (the last install or upgrade), {@code Remediated} (the last rollback or uninstall
 * remediation), {@code Stalled} (retries spent). health-service sums them up in {@code Ready}.
 */
final class ReleaseConditions {
    private final KubernetesClient client;
    private final ObjectRef ref;
    private final long generation;

    ReleaseConditions(KubernetesClient client, ObjectRef ref, long generation) {
        this.client = client;
        this.ref = ref;
        this.generation = generation;
    }

    void set(String type, boolean status, String reason, String message) {
        set(type, status ? "True" : "False", reason, message);
    }

    void set(String type, String status, String reason, String message) {
        change(
                conditions -> Conditions.set(conditions, type, status, reason, message, generation),
                Map.of());
    }

    /**
     * A release action begins: Ready Unknown ({@code Progressing}, "Running 'upgrade' action with
     * timeout of 5m0s"), Remediated and TestSuccess removed, and {@code fields} (what is attempted)
     * written in the same patch.
     */
    void startRelease(String action, String timeout, Map<String, Object> fields) {
        change(
                conditions ->
                        Conditions.set(
                                Conditions.remove(
                                        Conditions.remove(conditions, Conditions.REMEDIATED),
                                        Conditions.TEST_SUCCESS),
                                Conditions.READY,
                                Conditions.UNKNOWN,
                                Reasons.PROGRESSING,
                                "Running '" + action + "' action with timeout of " + timeout,
                                generation),
                fields);
    }

    void remove(String type) {
        change(conditions -> Conditions.remove(conditions, type), Map.of());
    }

    private void change(UnaryOperator<List<Condition>> conditions, Map<String, Object> fields) {
        StatusPatches.mergeConditions(
                client,
                HelmRelease.class,
                ref.namespace(),
                ref.name(),
                ReleaseConditions::of,
                conditions,
                fields);
    }

    private static List<Condition> of(HelmRelease release) {
        return release.getStatus() == null ? null : release.getStatus().conditions;
    }
}
