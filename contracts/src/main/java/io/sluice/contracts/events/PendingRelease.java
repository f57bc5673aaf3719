package io.sluice.contracts.events;

import java.time.Instant;

/**
 * A Helm revision whose objects are applied but which is not released yet: {@code action} is {@code
 * install} or {@code upgrade}, {@code revision} names it ({@code ns/name.v3}), and its objects must
 * be ready by {@code deadline} (the release's timeout from their apply, however often the revision
 * is published and judged again).
 */
public record PendingRelease(String action, String revision, Instant deadline) {}
