package io.sluice.source.git;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * {@code ref.semver} as Flux resolves it (fluxcd/pkg/git's cloneSemVer): of the tags named by a
 * three-part version (a leading {@code v} allowed), the highest that satisfies the constraint. The
 * constraint is Masterminds/semver's syntax ({@code >=1.0.0 <2.0.0}, commas for "and", {@code ||},
 * {@code ^}, {@code ~}, {@code 1.x}, hyphen ranges, {@code !=}): checked against Masterminds'
 * grammar, and matched by semver4j, except {@code !=}, which semver4j lacks; a pre-release matches
 * only an alternative (between {@code ||}) that itself names a pre-release, Masterminds' rule.
 * SemverTagsOracleTest compares every case with Flux's own code.
 */
final class SemverTags {
    // Masterminds/semver v3's grammar (constraints.go), so that what it refuses is refused here
    private static final String OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
    private static final String VERSION =
            "v?[0-9xX*|]+(?:\\.[0-9xX*|]+)?(?:\\.[0-9xX*|]+)?"
                    + "(?:-[0-9A-Za-z\\-]+(?:\\.[0-9A-Za-z\\-]+)*)?"
                    + "(?:\\+[0-9A-Za-z\\-]+(?:\\.[0-9A-Za-z\\-]+)*)?";
    private static final Pattern VALID =
            Pattern.compile(
                    "^(\\s*(?:"
                            + OPS
                            + ")\\s*"
                            + VERSION
                            + "\\s*)((?:\\s+|,\\s*)(?:"
                            + OPS
                            + ")\\s*"
                            + VERSION
                            + "\\s*)*$");
    private static final Pattern HYPHEN_RANGE =
            Pattern.compile("\\s*" + VERSION + "\\s+-\\s+" + VERSION + "\\s*");
    private static final Pattern NOT_EQUAL = Pattern.compile("!=\\s*(" + VERSION + ")");

    /**
     * A version with a pre-release, as written in a constraint: {@code 1.0.0-rc.1}, {@code 2-0}.
     */
    private static final Pattern PRE_RELEASE =
            Pattern.compile("(^|[^\\w.])v?\\d+(\\.[\\dxX*]+){0,2}-[0-9A-Za-z]");

    private SemverTags() {}

    /** One alternative of the constraint: its ranges, the versions it excludes ({@code !=}). */
    private record Alternative(RangesList ranges, List<RangesList> excluded, boolean preReleases) {
        boolean matches(Semver version) {
            return (version.getPreRelease().isEmpty() || preReleases)
                    && ranges.isSatisfiedBy(version)
                    && excluded.stream().noneMatch(e -> e.isSatisfiedBy(version));
        }
    }

    /** The chosen tag; empty when none matches. */
    static Optional<String> highest(String constraint, Collection<String> tags)
            throws GitFetchException {
        List<Alternative> alternatives = parse(constraint);
        return tags.stream()
                .filter(tag -> version(tag) != null)
                .filter(tag -> alternatives.stream().anyMatch(a -> a.matches(version(tag))))
                .max(Comparator.comparing(SemverTags::version));
    }

    private static List<Alternative> parse(String constraint) throws GitFetchException {
        List<Alternative> alternatives = new ArrayList<>();
        for (String text : constraint.split("\\|\\|", -1)) {
            if (!VALID.matcher(HYPHEN_RANGE.matcher(text).replaceAll(" >=0 <=0 ")).matches()) {
                throw new GitFetchException(
                        "semver parse error: improper constraint: \"" + constraint + "\"");
            }
            List<RangesList> excluded = new ArrayList<>();
            Matcher notEqual = NOT_EQUAL.matcher(text);
            while (notEqual.find()) {
                excluded.add(RangesListFactory.create(notEqual.group(1), true));
            }
            // Masterminds' spellings semver4j does not read: "=>", "=<", "~>", commas for "and"
            String ranges =
                    NOT_EQUAL
                            .matcher(text)
                            .replaceAll(" ")
                            .replace("=>", ">=")
                            .replace("=<", "<=")
                            .replace("~>", "~")
                            .replace(",", " ")
                            .trim();
            alternatives.add(
                    new Alternative(
                            RangesListFactory.create(ranges.isEmpty() ? "*" : ranges, true),
                            excluded,
                            PRE_RELEASE.matcher(text).find()));
        }
        return alternatives;
    }

    /** The tag's version, as fluxcd/pkg/version parses it: exactly three dotted parts. */
    private static Semver version(String tag) {
        if (tag.split("\\.", 3).length != 3) {
            return null;
        }
        return Semver.parse(tag.startsWith("v") ? tag.substring(1) : tag);
    }
}
