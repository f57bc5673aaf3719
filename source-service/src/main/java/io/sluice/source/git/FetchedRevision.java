package io.sluice.source.git;

import org.eclipse.jgit.lib.ObjectId;

/**
 * The commit a GitRepository's ref resolved to, and its revision as Flux writes it ({@code
 * main@sha1:<sha>}).
 */
public record FetchedRevision(String revision, ObjectId commit) {}
