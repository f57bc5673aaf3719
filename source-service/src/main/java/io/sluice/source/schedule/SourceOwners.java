package io.sluice.source.schedule;

import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which sources this replica reconciles: those whose partition it owns in source-service's
 * ownership group ({@code contracts} {@code OwnershipMembership}, on {@code sluice.artifacts.v1}).
 * When partitions come, their sources are reconciled at once (a lone replica's first assignment,
 * after a start, comes with all of them); when they leave, their scheduled checks are dropped.
 */
@ApplicationScoped
public class SourceOwners {
    private static final SourceOwners EVERY_REPLICA = new SourceOwners(null);
    private final Ownership ownership;
    private final List<SourceWatcher<?>> watchers = new CopyOnWriteArrayList<>();

    public SourceOwners(Ownership ownership) {
        this.ownership = ownership;
    }

    /**
     * For a kind that every replica reconciles: a Receiver, whose webhook any replica may be sent.
     */
    public static SourceOwners everyReplica() {
        return EVERY_REPLICA;
    }

    boolean owns(ObjectRef source) {
        return ownership == null || ownership.owns(source);
    }

    void register(SourceWatcher<?> watcher) {
        if (ownership != null) {
            watchers.add(watcher);
        }
    }

    /**
     * After the reconcilers dropped what they remembered of the sources that came (observers of
     * default priority), so that those are announced again from this replica.
     */
    void onChange(
            @Observes @Priority(Interceptor.Priority.APPLICATION + 1000) OwnershipChange change) {
        watchers.forEach(watcher -> watcher.ownershipChanged(change));
    }
}
