package io.sluice.contracts.events;

/**
 * One reconcile attempt of an object: what every stage is idempotent on. The same attempt delivered
 * twice must change nothing; a new generation, revision or {@code reconcile.fluxcd.io/requestedAt}
 * value is a new attempt. So is a periodic resync ({@code resyncAt}): reconciliation is
 * level-triggered, so every object is rendered, applied and judged again at its interval, as a new
 * attempt of the same revision (an unchanged one writes nothing).
 */
public record Attempt(
        ObjectRef object, long generation, String revision, String requestedAt, String resyncAt) {

    public Attempt(ObjectRef object, long generation, String revision, String requestedAt) {
        this(object, generation, revision, requestedAt, null);
    }

    /** The same attempt as a periodic resync at {@code at}. */
    public Attempt resync(String at) {
        return new Attempt(object, generation, revision, requestedAt, at);
    }

    /**
     * Whether this is a periodic resync rather than a change (a new revision, generation or
     * request).
     */
    public boolean isResync() {
        return resyncAt != null;
    }
}
