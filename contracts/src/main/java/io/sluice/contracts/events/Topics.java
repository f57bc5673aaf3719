package io.sluice.contracts.events;

/**
 * Kafka topic names; the schema version is part of the name, so an incompatible event gets a new
 * topic. Services use them as channel names, so each name is written only here.
 */
public final class Topics {
    public static final String ARTIFACTS = "sluice.artifacts.v1";
    public static final String RENDERED = "sluice.rendered.v1";
    public static final String APPLIED = "sluice.applied.v1";
    public static final String ALERTS = "sluice.alerts.v1";

    /**
     * Every verdict health-service reaches, unthrottled: apply-service remediates HelmReleases by
     * them.
     */
    public static final String VERDICTS = "sluice.verdicts.v1";

    /** Drift apply-service found and corrected; health-service turns each into an alert. */
    public static final String DRIFT = "sluice.drift.v1";

    public static final String DEAD_LETTER = "sluice.dead-letter.v1";

    private Topics() {}
}
