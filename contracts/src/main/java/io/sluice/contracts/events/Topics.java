package io.sluice.contracts.events;

import java.time.Duration;
import java.util.Map;

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

    /**
     * Every topic, with how long it keeps records ({@link TopicDeclarations} creates them): a day
     * for the events between services (reconciliation is level-triggered: a service back after
     * longer resyncs from the cluster), a week for alerts, which users consume, two for dead
     * letters, which someone has to look at.
     */
    public static final Map<String, Duration> RETENTION =
            Map.of(
                    ARTIFACTS, Duration.ofDays(1),
                    RENDERED, Duration.ofDays(1),
                    APPLIED, Duration.ofDays(1),
                    VERDICTS, Duration.ofDays(1),
                    DRIFT, Duration.ofDays(1),
                    ALERTS, Duration.ofDays(7),
                    DEAD_LETTER, Duration.ofDays(14));

    private Topics() {}
}
