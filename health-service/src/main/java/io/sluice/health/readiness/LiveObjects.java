package io.sluice.health.readiness;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.meta.ResourceVersions;
import io.sluice.contracts.meta.StoreWithoutManagedFields;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The objects health checks read, from watches instead of a GET per object per poll: one informer
 * per cluster, identity, kind and namespace while a wait needs it, closed a minute after the last
 * wait on it ended; a wait hears of each change to its objects as the watch sees it. A thousand
 * Kustomizations waiting on their Deployments in one namespace cost one list and one watch, not
 * thousands of GETs a second. Until an informer has listed, and for a kind the identity may not
 * list or watch (Flux's own wait lists, but a GET is all an object needs), objects are read one by
 * one. So are Secrets and ConfigMaps (a watch would hold every one of the namespace in memory:
 * Helm's release records, dashboards) and cluster-scoped kinds (a watch would hold every CRD of the
 * cluster): they have no status to wait for.
 */
final class LiveObjects {
    private static final Logger LOG = Logger.getLogger(LiveObjects.class);
    private static final Duration LINGER = Duration.ofMinutes(1);

    /**
     * How long after a watch started an object with a version to be read at waits for it to list,
     * rather than being read by GET.
     */
    private static final Duration LIST_GRACE = Duration.ofSeconds(5);

    /** How long a watch that stopped (say, it may not list) is left before another is tried. */
    private static final Duration RESTART_AFTER = Duration.ofSeconds(30);

    /**
     * What one informer watches: one kind in one namespace as one client sees it (clients are made
     * once per cluster and identity, see ImpersonatedClients).
     */
    private record Scope(
            KubernetesClient client, String apiVersion, String kind, String namespace) {
        static Scope of(KubernetesClient client, AppliedObject object) {
            return new Scope(
                    client,
                    object.apiVersion(),
                    object.kind(),
                    namespaced(object) ? object.namespace() : "");
        }
    }

    private static final class Watch {
        /** Null when none could be made (a kind the client does not know). */
        final SharedIndexInformer<GenericKubernetesResource> informer;

        final Instant started = Instant.now();
        int users;
        Instant idleSince = Instant.now();

        Watch(SharedIndexInformer<GenericKubernetesResource> informer) {
            this.informer = informer;
        }

        boolean running() {
            return informer != null && informer.isRunning();
        }

        /** Started a moment ago and still listing. */
        boolean listing() {
            return running()
                    && !informer.hasSynced()
                    && started.isAfter(Instant.now().minus(LIST_GRACE));
        }

        /** Stopped (or never made) long enough ago to try again. */
        boolean stale() {
            return (informer == null || !informer.isRunning())
                    && started.isBefore(Instant.now().minus(RESTART_AFTER));
        }

        void close() {
            if (informer != null) {
                informer.close();
            }
        }
    }

    /** One object: its name in a scope. */
    private record Key(Scope scope, String name) {
        static Key of(KubernetesClient client, AppliedObject object) {
            return new Key(Scope.of(client, object), object.name());
        }
    }

    private final Map<Scope, Watch> watches = new ConcurrentHashMap<>();

    /** Who to tell when a watch sees an object change: the waits that check it. */
    private final Map<Key, Set<Runnable>> listeners = new ConcurrentHashMap<>();

    LiveObjects(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::closeIdle, 30, 30, TimeUnit.SECONDS);
    }

    /**
     * Watches what {@code objects} live in until the returned release runs, and runs {@code
     * changed} whenever a watch sees one of them change (or listed).
     */
    Runnable acquire(KubernetesClient client, List<AppliedObject> objects, Runnable changed) {
        Set<Scope> scopes = new LinkedHashSet<>();
        Set<Key> keys = new LinkedHashSet<>();
        objects.stream()
                .filter(LiveObjects::watched)
                .forEach(
                        object -> {
                            scopes.add(Scope.of(client, object));
                            keys.add(Key.of(client, object));
                        });
        keys.forEach(
                key ->
                        listeners.compute(
                                key,
                                (k, waits) -> {
                                    Set<Runnable> held =
                                            waits == null ? ConcurrentHashMap.newKeySet() : waits;
                                    held.add(changed);
                                    return held;
                                }));
        for (Scope scope : scopes) {
            watches.compute(
                    scope,
                    (key, watch) -> {
                        Watch held = watch;
                        if (held == null || held.stale()) {
                            held = start(key);
                            if (watch != null) {
                                watch.close();
                                held.users = watch.users;
                            }
                        }
                        held.users++;
                        return held;
                    });
        }
        return () -> {
            keys.forEach(
                    key ->
                            listeners.computeIfPresent(
                                    key,
                                    (k, waits) -> {
                                        waits.remove(changed);
                                        return waits.isEmpty() ? null : waits;
                                    }));
            release(scopes);
        };
    }

    private void release(Set<Scope> scopes) {
        for (Scope scope : scopes) {
            watches.computeIfPresent(
                    scope,
                    (key, watch) -> {
                        if (--watch.users == 0) {
                            watch.idleSince = Instant.now();
                        }
                        return watch;
                    });
        }
    }

    /**
     * Whether the object has a version to be read at and its watch is still listing (for a few
     * seconds after it started): it is read from the watch at a later check instead of by GET, so
     * that a thousand waits that begin together on a cold watch cost one list, not a GET each.
     */
    boolean listing(
            KubernetesClient client, AppliedObject object, Map<AppliedObject, String> seen) {
        Watch watch = watches.get(Scope.of(client, object));
        return seen.containsKey(object)
                && watch != null
                && watch.listing()
                && cached(watch, object, seen) == null;
    }

    /** The object as its watch holds it, if at least at the version {@code seen} holds for it. */
    private static GenericKubernetesResource cached(
            Watch watch, AppliedObject object, Map<AppliedObject, String> seen) {
        String floor = seen.get(object);
        if (floor == null || !watch.running()) {
            return null;
        }
        // even before the watch has listed everything: what it holds at the floor is current
        GenericKubernetesResource cached =
                watch.informer.getStore().getByKey(object.namespace() + "/" + object.name());
        return cached != null
                        && ResourceVersions.atLeast(
                                cached.getMetadata().getResourceVersion(), floor)
                ? cached
                : null;
    }

    /**
     * The object as its watch last saw it, once the watch has seen at least the version {@code
     * seen} holds for it (the version the apply left it at, or the first GET's); else as a GET
     * reads it now (null when absent), which {@code seen} then records. So a watch that lags behind
     * an apply is never taken for the object's state: an object whose version the apply did not say
     * (a health check the spec names; one Git marks to be left alone; from an older apply-service)
     * is read by GET first. Objects come without {@code metadata.managedFields}, however they were
     * read, as the watches keep them.
     */
    GenericKubernetesResource read(
            KubernetesClient client, AppliedObject object, Map<AppliedObject, String> seen) {
        Watch watch = watches.get(Scope.of(client, object));
        GenericKubernetesResource cached = watch == null ? null : cached(watch, object, seen);
        if (cached != null) {
            return cached;
        }
        var kind = client.genericKubernetesResources(object.apiVersion(), object.kind());
        GenericKubernetesResource live =
                namespaced(object)
                        ? kind.inNamespace(object.namespace()).withName(object.name()).get()
                        : kind.withName(object.name()).get();
        if (live != null) {
            live.getMetadata().setManagedFields(null);
            // the first version known, not raised by later GETs: each watch event below a raised
            // floor would cost another GET
            seen.putIfAbsent(object, live.getMetadata().getResourceVersion());
        }
        return live;
    }

    private Watch start(Scope scope) {
        try {
            var kind = scope.client().genericKubernetesResources(scope.apiVersion(), scope.kind());
            SharedIndexInformer<GenericKubernetesResource> informer =
                    (scope.namespace().isEmpty()
                                    ? kind.runnableInformer(0)
                                    : kind.inNamespace(scope.namespace()).runnableInformer(0))
                            .itemStore(new StoreWithoutManagedFields<>());
            informer.addEventHandler(new Changes(scope));
            // one that cannot list or watch stops, and its objects are read one by one
            informer.start()
                    .exceptionally(
                            error -> {
                                LOG.debugf(
                                        "cannot watch %s %s in '%s' (%s): reading them one by one",
                                        scope.apiVersion(),
                                        scope.kind(),
                                        scope.namespace(),
                                        error.getMessage());
                                return null;
                            });
            return new Watch(informer);
        } catch (RuntimeException e) {
            LOG.debugf(
                    "cannot watch %s %s (%s): reading them one by one",
                    scope.apiVersion(), scope.kind(), e.getMessage());
            return new Watch(null);
        }
    }

    /** Tells the waits on an object that its watch saw it change. */
    private final class Changes implements ResourceEventHandler<GenericKubernetesResource> {
        private final Scope scope;

        Changes(Scope scope) {
            this.scope = scope;
        }

        private void changed(GenericKubernetesResource object) {
            Set<Runnable> waits = listeners.get(new Key(scope, object.getMetadata().getName()));
            if (waits != null) {
                waits.forEach(Runnable::run);
            }
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            changed(object);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            changed(after);
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            changed(object);
        }
    }

    private void closeIdle() {
        Instant cutoff = Instant.now().minus(LINGER);
        watches.forEach(
                (scope, watch) ->
                        watches.computeIfPresent(
                                scope,
                                (key, current) -> {
                                    if (current.users == 0 && current.idleSince.isBefore(cutoff)) {
                                        current.close();
                                        return null;
                                    }
                                    return current;
                                }));
    }

    private static boolean watched(AppliedObject object) {
        return namespaced(object)
                && !("v1".equals(object.apiVersion())
                        && ("Secret".equals(object.kind()) || "ConfigMap".equals(object.kind())));
    }

    private static boolean namespaced(AppliedObject object) {
        return object.namespace() != null && !object.namespace().isEmpty();
    }
}
