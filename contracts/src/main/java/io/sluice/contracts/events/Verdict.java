package io.sluice.contracts.events;

/**
 * health-service's last word on an attempt: ready, or the failure (a health check that timed out,
 * say). apply-service reads it to remediate HelmReleases and to know which render was good.
 */
public record Verdict(Attempt attempt, Failure failure) {
    public static final String TYPE = "io.sluice.verdict.v1";

    public boolean ready() {
        return failure == null;
    }
}
