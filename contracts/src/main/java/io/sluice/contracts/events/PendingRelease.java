package io.sluice.contracts.events;

/**
 * A Helm revision whose objects are applied but which is not released yet: {@code action} is {@code
 * install} or {@code upgrade}, {@code revision} names it ({@code ns/name.v3}).
 */
public record PendingRelease(String action, String revision) {}
