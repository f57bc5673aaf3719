package io.sluice.contracts.admin;

import io.sluice.contracts.events.ObjectRef;
import java.time.Instant;

/** What a service last did with one object, as its admin API lists it. */
public record ObjectState(
        ObjectRef object, String revision, boolean ok, String reason, String message, Instant at) {}
