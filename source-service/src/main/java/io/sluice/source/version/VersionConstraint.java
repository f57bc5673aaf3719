package io.sluice.source.version;

import io.sluice.contracts.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version constraint exactly as Masterminds/semver v3 (which Flux uses) reads and checks it:
 * alternatives joined by {@code ||}, each a list of terms joined by spaces or commas, all of which
 * must hold; operators {@code = != > < >= => <= =< ~ ~> ^}, wildcards {@code x X *}, hyphen ranges
 * {@code 1.0 - 2.0}. A pre-release version matches only an alternative that names a pre-release
 * itself. Compared case by case with the Go code in SemverTagsOracleTest.
 */
public final class VersionConstraint {
    private static final String OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";
    private static final String CV =
            "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"
                    + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
                    + "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?";
    // Go's regexp takes the leftmost alternative of "=||!=|>|..." as RE2 does (leftmost-first)
    private static final Pattern TERM = Pattern.compile("^\\s*(" + OPS + ")\\s*(" + CV + ")\\s*$");
    private static final Pattern RANGE =
            Pattern.compile("\\s*(" + CV + ")\\s+-\\s+(" + CV + ")\\s*");
    private static final Pattern FIND = Pattern.compile("(" + OPS + ")\\s*(" + CV + ")");
    private static final Pattern VALID =
            Pattern.compile(
                    "^(\\s*("
                            + OPS
                            + ")\\s*("
                            + CV
                            + ")\\s*)((?:\\s+|,\\s*)("
                            + OPS
                            + ")\\s*("
                            + CV
                            + ")\\s*)*$");

    private final List<List<Term>> alternatives;
    private final List<Boolean> preReleases;

    private VersionConstraint(List<List<Term>> alternatives, List<Boolean> preReleases) {
        this.alternatives = alternatives;
        this.preReleases = preReleases;
    }

    /** Masterminds' NewConstraint; throws with its message when it would. */
    public static VersionConstraint parse(String text) {
        if (text.length() > 512) {
            throw new IllegalArgumentException("constraint is too long");
        }
        String rewritten = rewriteRanges(text);
        String[] ors = rewritten.split("\\|\\|", -1);
        if (ors.length > 32) {
            throw new IllegalArgumentException("too many constraint groups");
        }
        List<List<Term>> alternatives = new ArrayList<>();
        List<Boolean> preReleases = new ArrayList<>();
        for (String or : ors) {
            if (!VALID.matcher(or).matches()) {
                throw new IllegalArgumentException("improper constraint: \"" + or + "\"");
            }
            List<String> found = new ArrayList<>();
            Matcher m = FIND.matcher(or);
            while (m.find()) {
                found.add(m.group());
            }
            if (found.isEmpty()) {
                found.add(or);
            }
            List<Term> terms = new ArrayList<>();
            boolean pre = false;
            for (String s : found) {
                Term term = Term.parse(s);
                pre |= term.version().isPreRelease();
                terms.add(term);
            }
            alternatives.add(terms);
            preReleases.add(pre);
        }
        return new VersionConstraint(alternatives, preReleases);
    }

    public boolean check(Version v) {
        for (int i = 0; i < alternatives.size(); i++) {
            boolean includePre = preReleases.get(i);
            if (alternatives.get(i).stream().allMatch(t -> t.check(v, includePre))) {
                return true;
            }
        }
        return false;
    }

    private static String rewriteRanges(String text) {
        Matcher m = RANGE.matcher(text);
        String out = text;
        while (m.find()) {
            out =
                    out.replaceFirst(
                            Pattern.quote(m.group()),
                            Matcher.quoteReplacement(
                                    ">= " + m.group(1) + ", <= " + m.group(11) + " "));
        }
        return out;
    }

    private static boolean isX(String s) {
        return "x".equals(s) || "X".equals(s) || "*".equals(s);
    }

    /** One operator and version, with which parts were wildcards. */
    private record Term(
            String op, Version version, boolean dirty, boolean minorDirty, boolean patchDirty) {

        static Term parse(String text) {
            if (text.isEmpty()) {
                return new Term("", Version.parse("0.0.0").orElseThrow(), true, false, false);
            }
            Matcher m = TERM.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("improper constraint: \"" + text + "\"");
            }
            String major = m.group(3);
            String minor = m.group(4) == null ? "" : m.group(4);
            String patch = m.group(5) == null ? "" : m.group(5);
            String pre = m.group(6) == null ? "" : m.group(6);
            String version = m.group(2);
            boolean dirty = false;
            boolean minorDirty = false;
            boolean patchDirty = false;
            if (isX(major) || major.isEmpty()) {
                version = "0.0.0" + pre;
                dirty = true;
            } else if (isX(strip(minor)) || minor.isEmpty()) {
                minorDirty = true;
                dirty = true;
                version = major + ".0.0" + pre;
            } else if (isX(strip(patch)) || patch.isEmpty()) {
                dirty = true;
                patchDirty = true;
                version = major + minor + ".0" + pre;
            }
            Version parsed =
                    Version.parse(version)
                            .orElseThrow(
                                    () -> new IllegalArgumentException("constraint parser error"));
            return new Term(m.group(1), parsed, dirty, minorDirty, patchDirty);
        }

        private static String strip(String part) {
            return part.startsWith(".") ? part.substring(1) : part;
        }

        boolean check(Version v, boolean includePre) {
            if (v.isPreRelease() && !includePre) {
                return false;
            }
            return switch (op) {
                case "", "=" -> dirty ? tilde(v) : v.compareTo(version) == 0;
                case "!=" -> notEqual(v);
                case ">" -> greaterThan(v);
                case "<" -> v.compareTo(version) < 0;
                case ">=", "=>" -> v.compareTo(version) >= 0;
                case "<=", "=<" -> lessThanOrEqual(v);
                case "~", "~>" -> tilde(v);
                case "^" -> caret(v);
                default -> false;
            };
        }

        private boolean notEqual(Version v) {
            if (dirty) {
                if (!version.major().equals(v.major())) {
                    return true;
                }
                if (!version.minor().equals(v.minor()) && !minorDirty) {
                    return true;
                } else if (minorDirty) {
                    return false;
                } else if (!version.patch().equals(v.patch()) && !patchDirty) {
                    return true;
                } else if (patchDirty) {
                    if (v.isPreRelease() || version.isPreRelease()) {
                        return Version.comparePreRelease(v.preRelease(), version.preRelease()) != 0;
                    }
                    return false;
                }
            }
            return v.compareTo(version) != 0;
        }

        private boolean greaterThan(Version v) {
            if (!dirty) {
                return v.compareTo(version) > 0;
            }
            int major = v.major().compareTo(version.major());
            if (major != 0) {
                return major > 0;
            }
            if (minorDirty) {
                return false;
            }
            if (patchDirty) {
                return v.minor().compareTo(version.minor()) > 0;
            }
            return v.compareTo(version) > 0;
        }

        private boolean lessThanOrEqual(Version v) {
            if (!dirty) {
                return v.compareTo(version) <= 0;
            }
            if (v.major().compareTo(version.major()) > 0) {
                return false;
            }
            return !(v.major().equals(version.major())
                    && v.minor().compareTo(version.minor()) > 0
                    && !minorDirty);
        }

        private boolean tilde(Version v) {
            if (v.compareTo(version) < 0) {
                return false;
            }
            if (version.major().signum() == 0
                    && version.minor().signum() == 0
                    && version.patch().signum() == 0
                    && !minorDirty
                    && !patchDirty) {
                return true;
            }
            if (!v.major().equals(version.major())) {
                return false;
            }
            return v.minor().equals(version.minor()) || minorDirty;
        }

        private boolean caret(Version v) {
            if (v.compareTo(version) < 0) {
                return false;
            }
            if (version.major().signum() > 0 || minorDirty) {
                return v.major().equals(version.major());
            }
            if (v.major().signum() > 0) {
                return false;
            }
            if (version.minor().signum() > 0 || patchDirty) {
                return v.minor().equals(version.minor());
            }
            if (v.minor().signum() > 0) {
                return false;
            }
            return version.patch().equals(v.patch());
        }
    }
}
