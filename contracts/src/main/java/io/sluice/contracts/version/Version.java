package io.sluice.contracts.version;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as Masterminds/semver v3 reads and orders one (what Flux uses for tags and chart
 * versions): a leading {@code v}, missing minor and patch, and leading zeros are accepted ({@code
 * v2025.02.03}); pre-release identifiers compare numerically when both are numbers, else as strings
 * ({@code rc9} after {@code rc10}); build metadata does not count.
 */
public record Version(
        BigInteger major, BigInteger minor, BigInteger patch, String preRelease, String original)
        implements Comparable<Version> {
    private static final Pattern LOOSE =
            Pattern.compile(
                    "^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?"
                            + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
                            + "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$");
    private static final BigInteger UINT64_MAX = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    /** The version {@code text} names; empty when Masterminds would refuse it. */
    public static Optional<Version> parse(String text) {
        if (text.length() > 256) {
            return Optional.empty();
        }
        Matcher m = LOOSE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        String pre = m.group(5) == null ? "" : m.group(5);
        if (!pre.isEmpty() && !validPreRelease(pre)) {
            return Optional.empty();
        }
        BigInteger major = new BigInteger(m.group(1));
        BigInteger minor =
                m.group(2) == null ? BigInteger.ZERO : new BigInteger(m.group(2).substring(1));
        BigInteger patch =
                m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3).substring(1));
        if (major.compareTo(UINT64_MAX) > 0
                || minor.compareTo(UINT64_MAX) > 0
                || patch.compareTo(UINT64_MAX) > 0) {
            return Optional.empty();
        }
        return Optional.of(new Version(major, minor, patch, pre, text));
    }

    private static boolean validPreRelease(String pre) {
        for (String part : pre.split("\\.", -1)) {
            if (part.isEmpty()) {
                return false;
            }
            if (part.chars().allMatch(Character::isDigit)
                    && part.length() > 1
                    && part.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Masterminds' Compare: negative, zero or positive. */
    @Override
    public int compareTo(Version other) {
        int d = major.compareTo(other.major);
        if (d == 0) {
            d = minor.compareTo(other.minor);
        }
        if (d == 0) {
            d = patch.compareTo(other.patch);
        }
        if (d != 0) {
            return Integer.signum(d);
        }
        if (preRelease.isEmpty() && other.preRelease.isEmpty()) {
            return 0;
        }
        if (preRelease.isEmpty()) {
            return 1;
        }
        if (other.preRelease.isEmpty()) {
            return -1;
        }
        return comparePreRelease(preRelease, other.preRelease);
    }

    public static int comparePreRelease(String a, String b) {
        String[] as = a.split("\\.", -1);
        String[] bs = b.split("\\.", -1);
        for (int i = 0; i < Math.max(as.length, bs.length); i++) {
            int d = comparePart(i < as.length ? as[i] : "", i < bs.length ? bs[i] : "");
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static int comparePart(String s, String o) {
        if (s.equals(o)) {
            return 0;
        }
        if (s.isEmpty()) {
            return -1;
        }
        if (o.isEmpty()) {
            return 1;
        }
        BigInteger sn = number(s);
        BigInteger on = number(o);
        if (sn == null && on == null) {
            return s.compareTo(o) > 0 ? 1 : -1;
        }
        if (sn == null) {
            return 1; // a string ranks above a number
        }
        if (on == null) {
            return -1;
        }
        return sn.compareTo(on) > 0 ? 1 : -1;
    }

    private static BigInteger number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        BigInteger n = new BigInteger(s);
        return n.compareTo(UINT64_MAX) > 0 ? null : n;
    }
}
