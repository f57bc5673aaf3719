package io.sluice.contracts.meta;

import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one place where stages are made idempotent: remembers the last attempt handled per object, so
 * a redelivered event (Kafka is at-least-once) is recognised and skipped. Kept in memory: after a
 * restart an attempt may be handled once more, which every stage tolerates (server-side apply of
 * the same objects changes nothing).
 */
public final class AttemptLedger {
    private final ConcurrentMap<ObjectRef, Handled> handled = new ConcurrentHashMap<>();

    private record Handled(Attempt attempt, String step) {}

    /**
     * True the first time this exact attempt is offered; false for a repeat of the last one handled
     * for the object.
     */
    public boolean firstDelivery(Attempt attempt) {
        return firstDelivery(attempt, "");
    }

    /**
     * As {@link #firstDelivery(Attempt)}, for a stage that hears of one attempt in several steps (a
     * Helm revision applied, then released): each step of it counts once.
     */
    public boolean firstDelivery(Attempt attempt, String step) {
        Handled now = new Handled(attempt, step);
        return !now.equals(handled.put(attempt.object(), now));
    }

    public void forget(ObjectRef object) {
        handled.remove(object);
    }
}
