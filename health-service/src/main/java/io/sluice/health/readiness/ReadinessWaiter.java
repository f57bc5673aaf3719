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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks a set of applied objects until all are ready or the deadline passes, without holding a
 * thread while waiting. Completes with the objects that are still not ready (empty when all are).
 * Objects are read from watches ({@link LiveObjects}), so a check every half second costs no API
 * call; an object is judged again only when it changed.
 */
public final class ReadinessWaiter {
    private static final Duration POLL = Duration.ofMillis(500);
    private final ScheduledExecutorService scheduler;
    private final LiveObjects live;

    public ReadinessWaiter(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.live = new LiveObjects(scheduler);
    }

    /** One wait's reads: the version of each object last read by GET, and the last judgements. */
    private record Reads(Map<AppliedObject, String> seen, Map<AppliedObject, Judged> judged) {
        Reads() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private record Judged(String resourceVersion, Readiness readiness) {}

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
        Runnable release = live.acquire(client, objects);
        result.whenComplete((notReady, error) -> release.run());
        check(client, objects, new Reads(), Instant.now().plus(timeout), expressions, result);
        return result;
    }

    private void check(
            KubernetesClient client,
            List<AppliedObject> objects,
            Reads reads,
            Instant deadline,
            HealthCheckExpressions expressions,
            CompletableFuture<Map<AppliedObject, Readiness>> result) {
        try {
            Map<AppliedObject, Readiness> notReady = new LinkedHashMap<>();
            for (AppliedObject object : objects) {
                Readiness readiness;
                try {
                    readiness =
                            judge(
                                    live.read(client, object, reads.seen()),
                                    object,
                                    reads,
                                    expressions);
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
                        () -> check(client, objects, reads, deadline, expressions, result),
                        POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Readiness judge(
            GenericKubernetesResource object,
            AppliedObject applied,
            Reads reads,
            HealthCheckExpressions expressions) {
        String version = object == null ? null : object.getMetadata().getResourceVersion();
        Judged last = reads.judged().get(applied);
        if (last != null && version != null && version.equals(last.resourceVersion())) {
            return last.readiness();
        }
        Map<String, Object> live =
                object == null ? null : Serialization.jsonMapper().convertValue(object, Map.class);
        Readiness readiness = expressions.judge(live).orElseGet(() -> ReadinessRules.of(live));
        reads.judged().put(applied, new Judged(version, readiness));
        return readiness;
    }
}
