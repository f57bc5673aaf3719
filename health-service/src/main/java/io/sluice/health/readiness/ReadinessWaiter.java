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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks a set of applied objects until all are ready or the deadline passes, without holding a
 * thread while waiting. Completes with the objects that are still not ready (empty when all are).
 * Objects are read from watches ({@link LiveObjects}), so a check costs no API call; a change the
 * watch sees to one of them starts the next check at once, and a check every half second covers
 * what is read by GET. An object is judged again only when it changed.
 */
public final class ReadinessWaiter {
    private static final Duration POLL = Duration.ofMillis(500);
    private final ScheduledExecutorService scheduler;
    private final LiveObjects live;

    public ReadinessWaiter(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.live = new LiveObjects(scheduler);
    }

    private record Judged(String resourceVersion, Readiness readiness) {}

    /**
     * Checks until every object is ready, or every one is ready or failed (as Flux's wait ends: a
     * failed one never becomes ready), or the timeout; the objects not ready then. {@code
     * expressions} judge the kinds they name. The objects are read through {@code client}, on the
     * cluster they were applied to.
     */
    public CompletableFuture<Map<AppliedObject, Readiness>> await(
            KubernetesClient client,
            List<AppliedObject> objects,
            Duration timeout,
            HealthCheckExpressions expressions) {
        Wait wait = new Wait(client, objects, Instant.now().plus(timeout), expressions);
        Runnable release = live.acquire(client, objects, wait::changed);
        wait.result.whenComplete((notReady, error) -> release.run());
        wait.check(0);
        return wait.result;
    }

    /** One wait: its objects, what was read of them, and when it checks next. */
    private final class Wait {
        final CompletableFuture<Map<AppliedObject, Readiness>> result = new CompletableFuture<>();
        private final KubernetesClient client;
        private final List<AppliedObject> objects;
        private final Instant deadline;
        private final HealthCheckExpressions expressions;

        /**
         * The version each object must be read at least at: as the apply left it (an object the
         * apply says that of is read from its watch once the watch has seen it), or as first read
         * by GET.
         */
        private final Map<AppliedObject, String> seen = new ConcurrentHashMap<>();

        private final Map<AppliedObject, Judged> judged = new ConcurrentHashMap<>();

        // guarded by this: one check at a time, and only the latest one scheduled runs
        private boolean checking;
        private boolean changedMeanwhile;
        private long turn;
        private ScheduledFuture<?> next;

        Wait(
                KubernetesClient client,
                List<AppliedObject> objects,
                Instant deadline,
                HealthCheckExpressions expressions) {
            this.client = client;
            this.objects = objects;
            this.deadline = deadline;
            this.expressions = expressions;
            objects.stream()
                    .filter(o -> o.resourceVersion() != null)
                    .forEach(o -> seen.put(o, o.resourceVersion()));
        }

        /** A watch saw one of the objects change: check now, not at the next poll. */
        synchronized void changed() {
            if (result.isDone()) {
                return;
            }
            if (checking) {
                changedMeanwhile = true; // the check running may have read it before
                return;
            }
            schedule(0);
        }

        /** Holding the lock: the next check, in place of any scheduled before. */
        private void schedule(long delayMillis) {
            if (next != null) {
                next.cancel(false);
            }
            long scheduled = ++turn;
            next = scheduler.schedule(() -> check(scheduled), delayMillis, TimeUnit.MILLISECONDS);
        }

        /** Checks, unless a later check was scheduled since this one. */
        void check(long scheduled) {
            synchronized (this) {
                if (scheduled != turn || checking || result.isDone()) {
                    return;
                }
                checking = true;
                changedMeanwhile = false;
            }
            boolean done = true;
            try {
                Map<AppliedObject, Readiness> notReady = notReady();
                boolean terminal = notReady.values().stream().allMatch(Readiness::failed);
                if (terminal || Instant.now().isAfter(deadline)) {
                    result.complete(notReady);
                } else {
                    done = false;
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    checking = false;
                    if (!done) {
                        schedule(changedMeanwhile ? 0 : POLL.toMillis());
                    }
                }
            }
        }

        private Map<AppliedObject, Readiness> notReady() {
            Map<AppliedObject, Readiness> notReady = new LinkedHashMap<>();
            for (AppliedObject object : objects) {
                Readiness readiness;
                try {
                    // near the deadline an object is read however it can be
                    readiness =
                            live.listing(client, object, seen)
                                            && Instant.now().plus(POLL).isBefore(deadline)
                                    ? Readiness.notReady("waiting for its watch to list")
                                    : judge(live.read(client, object, seen), object);
                } catch (KubernetesClientException e) {
                    // as kstatus polling: an object that cannot be read now is not ready yet,
                    // and is read again at the next check
                    readiness = Readiness.notReady("could not be read: " + e.getMessage());
                }
                if (!readiness.ready()) {
                    notReady.put(object, readiness);
                }
            }
            return notReady;
        }

        @SuppressWarnings("unchecked")
        private Readiness judge(GenericKubernetesResource object, AppliedObject applied) {
            String version = object == null ? null : object.getMetadata().getResourceVersion();
            Judged last = judged.get(applied);
            if (last != null && version != null && version.equals(last.resourceVersion())) {
                return last.readiness();
            }
            Map<String, Object> live =
                    object == null
                            ? null
                            : Serialization.jsonMapper().convertValue(object, Map.class);
            Readiness readiness = expressions.judge(live).orElseGet(() -> ReadinessRules.of(live));
            judged.put(applied, new Judged(version, readiness));
            return readiness;
        }
    }
}
