package io.sluice.source.git;

import io.sluice.contracts.version.Version;
import io.sluice.source.version.VersionConstraint;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ref.semver} as Flux resolves it (fluxcd/pkg/git's cloneSemVer): of the tags named by a
 * three-part version (fluxcd/pkg/version's rule), the highest that satisfies the constraint, by
 * Masterminds/semver's rules ({@link VersionConstraint}, {@link Version}); of equal versions
 * ({@code v1.0.0} and {@code 1.0.0}), the one whose commit is newest. SemverTagsOracleTest compares
 * every case with Flux's own code.
 */
final class SemverTags {
    private SemverTags() {}

    /** The chosen tag of {@code tags} (each with its commit's time); empty when none matches. */
    static Optional<String> highest(String constraint, Map<String, Instant> tags)
            throws GitFetchException {
        VersionConstraint range;
        try {
            range = VersionConstraint.parse(constraint);
        } catch (IllegalArgumentException e) {
            throw new GitFetchException("semver parse error: " + e.getMessage());
        }
        return tags.keySet().stream()
                .map(SemverTags::version)
                .flatMap(Optional::stream)
                .filter(range::check)
                .max(Comparator.<Version>naturalOrder().thenComparing(v -> tags.get(v.original())))
                .map(Version::original);
    }

    /** The tag's version, as fluxcd/pkg/version parses it: three dotted parts at least. */
    private static Optional<Version> version(String tag) {
        return tag.split("\\.", 3).length == 3 ? Version.parse(tag) : Optional.empty();
    }
}
