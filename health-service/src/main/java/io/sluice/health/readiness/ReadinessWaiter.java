package io.sluice.health.readiness;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.contracts.events.AppliedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks a set of applied objects until all are ready or the deadline passes, without holding a
 * thread while waiting. Completes with the objects that are still not ready (empty when all are).
 */
public final class ReadinessWaiter {
    private static final Duration POLL = Duration.ofMillis(500);
    private final ScheduledExecutorService scheduler;

    public ReadinessWaiter(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Polls until every object is ready, or every one is ready or failed (as Flux's wait ends: a
     * failed one never becomes ready), or the timeout; the objects not ready then. {@code
     * expressions} judge the kinds they name. The objects are read through {@code client}, on the
     * cluster they were applied to.
     */
    public CompletableFuture<Map<AppliedObject, Readiness>> await(
            KubernetesClient client,
            List<AppliedObject> objects,
            Duration timeout,
            HealthCheckExpressions expressions) {
        CompletableFuture<Map<AppliedObject, Readiness>> result = new CompletableFuture<>();
        check(client, objects, Instant.now().plus(timeout), expressions, result);
        return result;
    }

    private void check(
            KubernetesClient client,
            List<AppliedObject> objects,
            Instant deadline,
            HealthCheckExpressions expressions,
            CompletableFuture<Map<AppliedObject, Readiness>> result) {
        try {
            Map<AppliedObject, Readiness> notReady = new LinkedHashMap<>();
            for (AppliedObject object : objects) {
                Readiness readiness;
                try {
                    Map<String, Object> live = live(client, object);
                    readiness = expressions.judge(live).orElseGet(() -> ReadinessRules.of(live));
                } catch (KubernetesClientException e) {
                    // as kstatus polling: an object that cannot be read now is not ready yet,
                    // and is read again at the next poll
                    readiness = Readiness.notReady("could not be read: " + e.getMessage());
                }
                if (!readiness.ready()) {
                    notReady.put(object, readiness);
                }
            }
            boolean terminal = notReady.values().stream().allMatch(Readiness::failed);
            if (terminal || Instant.now().isAfter(deadline)) {
                result.complete(notReady);
            } else {
                scheduler.schedule(
                        () -> check(client, objects, deadline, expressions, result),
                        POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> live(KubernetesClient client, AppliedObject object) {
        var kind = client.genericKubernetesResources(object.apiVersion(), object.kind());
        GenericKubernetesResource live =
                object.namespace() == null || object.namespace().isEmpty()
                        ? kind.withName(object.name()).get()
                        : kind.inNamespace(object.namespace()).withName(object.name()).get();
        return live == null ? null : Serialization.jsonMapper().convertValue(live, Map.class);
    }
}
