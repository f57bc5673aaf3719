package io.sluice.contracts.events;

/**
 * A Helm revision whose objects are applied but which is not released yet: {@code action} is {@code
 * install} or {@code upgrade}, {@code revision} names it ({@code ns/name.v3}), {@code timeout} is
 * what its wait may take (a Go duration).
 */
public record PendingRelease(String action, String revision, String timeout) {}
