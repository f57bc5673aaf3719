package io.sluice.source.git;

import org.eclipse.jgit.lib.ObjectId;

/**
 * The commit a GitRepository's ref resolved to, its revision as Flux writes it ({@code
 * main@sha1:<sha>}), and the tag it was checked out by ({@code ref.tag} or {@code ref.semver}; null
 * otherwise).
 */
public record FetchedRevision(String revision, ObjectId commit, String tag) {}
