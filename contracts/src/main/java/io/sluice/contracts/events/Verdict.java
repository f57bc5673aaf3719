package io.sluice.contracts.events;

/**
 * health-service's last word on an attempt: ready, or the failure (a health check that timed out,
 * say). apply-service reads it to remediate HelmReleases and to know which render was good. {@code
 * release}: the pending Helm revision judged ({@code ns/name.v3}), so that a verdict delivered late
 * is never taken for a later revision of the same attempt; null otherwise.
 */
public record Verdict(Attempt attempt, Failure failure, String release) {
    public static final String TYPE = "io.sluice.verdict.v1";

    public Verdict(Attempt attempt, Failure failure) {
        this(attempt, failure, null);
    }

    public boolean ready() {
        return failure == null;
    }
}
