package io.sluice.source.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.source.HelmRepository;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a HelmRepository's {@code Ready} condition from the last index fetch, as source-controller
 * does ({@code Succeeded}, or {@code IndexationFailed} with the cause); only a change is written.
 */
final class HelmRepositoryConditions {
    static final String INDEXATION_FAILED = "IndexationFailed";
    private final KubernetesClient client;

    HelmRepositoryConditions(KubernetesClient client) {
        this.client = client;
    }

    void indexed(HelmRepository repository) {
        write(repository, true, "Succeeded", "stored index of " + repository.getSpec().url);
    }

    void failed(HelmRepository repository, String cause) {
        write(repository, false, INDEXATION_FAILED, cause);
    }

    private void write(HelmRepository repository, boolean ready, String reason, String message) {
        long generation =
                repository.getMetadata().getGeneration() == null
                        ? 0
                        : repository.getMetadata().getGeneration();
        var current = repository.getStatus();
        boolean unchanged =
                current != null
                        && current.observedGeneration != null
                        && current.observedGeneration == generation
                        && Conditions.find(current.conditions, Conditions.READY)
                                .filter(
                                        c ->
                                                c.getStatus().equals(ready ? "True" : "False")
                                                        && message.equals(c.getMessage()))
                                .isPresent();
        if (unchanged) {
            return;
        }
        Map<String, Object> status = new HashMap<>();
        status.put("observedGeneration", generation);
        status.put("url", repository.getSpec().url);
        status.put(
                "conditions",
                Conditions.set(
                        current == null ? null : current.conditions,
                        Conditions.READY,
                        ready,
                        reason,
                        message,
                        generation));
        StatusPatches.merge(
                client,
                HelmRepository.class,
                repository.getMetadata().getNamespace(),
                repository.getMetadata().getName(),
                status);
    }
}
