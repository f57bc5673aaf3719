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
    private final ConcurrentMap<ObjectRef, Attempt> handled = new ConcurrentHashMap<>();

    /**
     * True the first time this exact attempt is offered; false for a repeat of the last one handled
     * for the object.
     */
    public boolean firstDelivery(Attempt attempt) {
        return !attempt.equals(handled.put(attempt.object(), attempt));
    }

    public void forget(ObjectRef object) {
        handled.remove(object);
    }
}
