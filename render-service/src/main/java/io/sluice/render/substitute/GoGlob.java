package io.sluice.render.substitute;

/**
 * The glob of Flux's envsubst for the {@code # ## % %%} removals: Go's {@code path.Match} except
 * that {@code *} and {@code ?} also match {@code /}; {@code [a-z]} and {@code [^...]} classes (a
 * {@code ]} right after the opening bracket is a member), {@code \} escapes. A malformed pattern
 * leaves the value unchanged, as in Go.
 */
final class GoGlob {
    private GoGlob() {}

    static String trimPrefix(String value, String pattern, boolean longest) {
        if (!wellFormed(pattern)) {
            return value;
        }
        String match = null;
        for (int end = value.length(); end > 0; end--) {
            if (matches(pattern, 0, value.substring(0, end), 0)) {
                match = value.substring(0, end);
                if (longest) {
                    break;
                }
            }
        }
        return match == null ? value : value.substring(match.length());
    }

    /**
     * As Go's envsubst does it: the prefix removal applied to the reversed value and reversed
     * pattern.
     */
    static String trimSuffix(String value, String pattern, boolean longest) {
        return reverse(trimPrefix(reverse(value), reverse(pattern), longest));
    }

    private static boolean matches(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (matches(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            char sc = s.charAt(si);
            if (c == '?') {
                pi++;
            } else if (c == '[') {
                int end = classEnd(p, pi);
                if (!inClass(p.substring(pi + 1, end), sc)) {
                    return false;
                }
                pi = end + 1;
            } else {
                if (c == '\\') {
                    pi++;
                    c = p.charAt(pi);
                }
                if (c != sc) {
                    return false;
                }
                pi++;
            }
            si++;
        }
        return si == s.length();
    }

    private static boolean inClass(String body, char c) {
        boolean negated = body.startsWith("^");
        int i = negated ? 1 : 0;
        boolean found = false;
        while (i < body.length()) {
            char lo = body.charAt(i);
            if (lo == '\\') {
                lo = body.charAt(++i);
            }
            char hi = lo;
            if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                hi = body.charAt(i + 2);
                if (hi == '\\') {
                    hi = body.charAt(i + 3);
                    i++;
                }
                i += 2;
            }
            if (lo <= c && c <= hi) {
                found = true;
            }
            i++;
        }
        return found != negated;
    }

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        boolean first = true;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == ']' && !first) {
                return i;
            } else {
                i++;
            }
            first = false;
        }
        return -1;
    }

    private static boolean wellFormed(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (++i >= p.length()) {
                    return false;
                }
            } else if (c == '[') {
                int end = classEnd(p, i);
                if (end < 0) {
                    return false;
                }
                i = end;
            }
        }
        return true;
    }

    private static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }
}
