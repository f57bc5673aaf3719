package io.sluice.source.schedule;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.ownership.OwnershipChange;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Watches one kind of source and decides when each is reconciled: on creation, on a spec change, on
 * {@code reconcile.fluxcd.io/requestedAt}, and every interval (what the reconcile returns). A
 * deleted source is forgotten ({@code forget}), so that one created again under its name is
 * announced again. A reconcile that takes two arguments is also told whether it is the check at the
 * interval. Only the sources this replica owns are reconciled ({@link SourceOwners}).
 */
public final class SourceWatcher<T extends HasMetadata> implements AutoCloseable {
    private final ReconcileScheduler scheduler;
    private final SharedIndexInformer<T> informer;
    private final String kind;
    private final SourceOwners owners;

    public SourceWatcher(
            KubernetesClient client,
            SourceOwners owners,
            Class<T> type,
            String kind,
            int workers,
            Function<T, Duration> reconcile,
            Consumer<ObjectRef> forget) {
        this(
                client,
                owners,
                type,
                kind,
                workers,
                (source, atInterval) -> reconcile.apply(source),
                forget);
    }

    public SourceWatcher(
            KubernetesClient client,
            SourceOwners owners,
            Class<T> type,
            String kind,
            int workers,
            BiFunction<T, Boolean, Duration> reconcile,
            Consumer<ObjectRef> forget) {
        this.kind = kind;
        this.owners = owners;
        this.scheduler =
                new ReconcileScheduler(
                        workers,
                        (ref, atInterval) -> {
                            T source =
                                    informer()
                                            .getIndexer()
                                            .getByKey(ref.namespace() + "/" + ref.name());
                            // not owned: no check is scheduled until its partition comes here
                            if (source != null && owners.owns(ref)) {
                                scheduler().after(ref, reconcile.apply(source, atInterval));
                            }
                        });
        this.informer = client.resources(type).inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(T source) {
                        scheduler.now(ref(source));
                    }

                    @Override
                    public void onUpdate(T before, T after) {
                        boolean specChanged =
                                !Objects.equals(
                                        before.getMetadata().getGeneration(),
                                        after.getMetadata().getGeneration());
                        if (specChanged
                                || !Objects.equals(requestedAt(before), requestedAt(after))) {
                            scheduler.now(ref(after));
                        }
                    }

                    @Override
                    public void onDelete(T source, boolean finalStateUnknown) {
                        scheduler.cancel(ref(source));
                        forget.accept(ref(source));
                    }
                });
    }

    public void start() {
        owners.register(this);
        informer.start();
    }

    /**
     * Sources that came are reconciled at once. Those that left are left scheduled: their next run
     * finds them not owned, does nothing and schedules no other.
     */
    void ownershipChanged(OwnershipChange change) {
        for (T source : informer.getStore().list()) {
            if (change.cameWith(ref(source))) {
                scheduler.now(ref(source));
            }
        }
    }

    /** Reconciles at once every watched object that {@code which} picks. */
    public void recheck(Predicate<T> which) {
        informer.getStore().list().stream()
                .filter(which)
                .forEach(source -> scheduler.now(ref(source)));
    }

    @Override
    public void close() {
        scheduler.close();
        informer.close();
    }

    private SharedIndexInformer<T> informer() {
        return informer;
    }

    private ReconcileScheduler scheduler() {
        return scheduler;
    }

    private ObjectRef ref(T source) {
        return new ObjectRef(
                kind, source.getMetadata().getNamespace(), source.getMetadata().getName());
    }

    private static String requestedAt(HasMetadata source) {
        Map<String, String> annotations = source.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REQUESTED_AT);
    }
}
