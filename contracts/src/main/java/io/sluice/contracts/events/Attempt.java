package io.sluice.contracts.events;

/**
 * One reconcile attempt of an object: what every stage is idempotent on. The same attempt delivered twice
 * must change nothing; a new generation, revision or {@code reconcile.fluxcd.io/requestedAt} value is a new attempt.
 */
public record Attempt(ObjectRef object, long generation, String revision, String requestedAt) {
}
