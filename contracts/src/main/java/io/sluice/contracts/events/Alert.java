package io.sluice.contracts.events;

import java.time.Instant;

/**
 * What health-service publishes on {@link Topics#ALERTS}: one verdict or failure, for people and
 * their pagers.
 */
public record Alert(
        Severity severity,
        String reason,
        String message,
        ObjectRef object,
        String revision,
        Instant timestamp) {
    public static final String TYPE = "io.sluice.alert.v1";

    public enum Severity {
        info,
        error
    }
}
