package io.sluice.contracts.events;

/**
 * Why a stage failed: a Flux reason from {@link io.sluice.contracts.meta.Reasons} and a message
 * naming the cause.
 */
public record Failure(String reason, String message) {}
