package io.sluice.render.substitute;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ${var}} expansion Flux's postBuild uses (its fork of drone/envsubst), reimplemented
 * because no Java library speaks this grammar; it is tested case by case against Flux's own code as
 * the oracle.
 *
 * <p>Outside {@code ${...}} only {@code $$} is special (it stands for {@code $}); a bare {@code
 * $var} is left alone. Inside, the forms are {@code ${var}}, {@code ${#var}}, defaults {@code
 * ${var=d}} {@code ${var:=d}} {@code ${var:-d}} {@code ${var:?d}} {@code ${var:+d}} (all of which
 * use the default when the value is empty), substrings {@code ${var:pos}} {@code ${var:pos:len}},
 * case {@code ^ ^^ , ,,}, removal {@code # ## % %%} with glob patterns, and replacement {@code / //
 * /# /%} (where {@code \/}, {@code \\} and {@code $$} are escapes). Defaults and patterns may
 * themselves hold {@code ${...}}. Lengths and offsets count UTF-8 bytes, as Go does. In strict mode
 * a variable that is not set fails the expansion unless a default form handles it.
 */
public final class Envsubst {
    private final String in;
    private final Function<String, Optional<String>> variables;
    private final boolean strict;
    private int pos;

    private Envsubst(String in, Function<String, Optional<String>> variables, boolean strict) {
        this.in = in;
        this.variables = variables;
        this.strict = strict;
    }

    /** Expands {@code text}; {@code variables} returns empty for a variable that is not set. */
    public static String expand(
            String text, Function<String, Optional<String>> variables, boolean strict)
            throws SubstitutionException {
        Envsubst parser = new Envsubst(text, variables, strict);
        StringBuilder out = new StringBuilder();
        while (!parser.atEnd()) {
            if (parser.startsWith("${")) {
                parser.pos += 2;
                out.append(parser.function());
            } else if (parser.startsWith("$$")) {
                parser.pos += 2;
                out.append('$');
            } else {
                out.append(parser.in.charAt(parser.pos++));
            }
        }
        return out.toString();
    }

    /** After {@code ${}: one expansion, up to and including its closing brace. */
    private String function() throws SubstitutionException {
        if (peek() == '#') {
            pos++;
            String name = identifier();
            if (name.isEmpty()) {
                throw bad();
            }
            expect('}');
            return String.valueOf(bytes(value(name, "#")).length);
        }
        String name = identifier();
        if (name.isEmpty()) {
            throw new SubstitutionException("unable to parse variable name");
        }
        char next = peek();
        switch (next) {
            case ':':
                char after = pos + 1 < in.length() ? in.charAt(pos + 1) : 0;
                if ("=-?+".indexOf(after) >= 0) {
                    pos += 2;
                    return withDefault(name, ":" + after);
                }
                pos++;
                return substring(name);
            case '=':
                pos++;
                return withDefault(name, "=");
            case ',':
            case '^':
                return casing(name);
            case '/':
                return replace(name);
            case '#':
            case '%':
                return remove(name, next);
            case '}':
                pos++;
                return value(name, "");
            default:
                throw new SubstitutionException("missing closing brace");
        }
    }

    private String withDefault(String name, String operator) throws SubstitutionException {
        StringBuilder fallback = new StringBuilder();
        while (peek() != '}') {
            if (atEnd()) {
                throw bad();
            }
            fallback.append(parameter(c -> c != '}', false));
        }
        pos++;
        String value = value(name, operator);
        return value.isEmpty() ? fallback.toString() : value;
    }

    private String substring(String name) throws SubstitutionException {
        String offset = parameter(c -> c != ':' && c != '}', false);
        String length = null;
        if (peek() == ':') {
            while (peek() == ':') {
                pos++;
            }
            length = parameter(c -> c != '}', false);
            expect('}');
        } else {
            expect('}');
        }
        byte[] value = bytes(value(name, ":"));
        Integer start = integer(offset);
        if (start == null) {
            return new String(value, StandardCharsets.UTF_8);
        }
        int from = start < 0 ? Math.max(0, value.length + start) : start;
        if (from >= value.length) {
            return "";
        }
        int to = value.length;
        if (length != null) {
            Integer count = integer(length);
            if (count == null) {
                return new String(value, StandardCharsets.UTF_8);
            }
            if (from + count < value.length) {
                to = from + count;
            }
        }
        return new String(value, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }

    private String casing(String name) throws SubstitutionException {
        int start = pos;
        while (pos - start < 2 && (peek() == ',' || peek() == '^')) {
            pos++;
        }
        String operator = in.substring(start, pos);
        expect('}');
        String value = value(name, operator);
        return switch (operator) {
            case "^^" -> value.toUpperCase(java.util.Locale.ROOT);
            case ",," -> value.toLowerCase(java.util.Locale.ROOT);
            case "^" -> firstCodePoint(value, true);
            case "," -> firstCodePoint(value, false);
            default -> value;
        };
    }

    private String replace(String name) throws SubstitutionException {
        pos++;
        String operator = "/";
        if (peek() == '/' || peek() == '#' || peek() == '%') {
            operator += in.charAt(pos++);
        }
        String pattern = parameter(c -> c != '/', true);
        expect('/');
        String replacement = "";
        if (peek() == '}') {
            pos++;
        } else {
            replacement = parameter(c -> c != '}', true);
            expect('}');
        }
        String value = value(name, operator);
        return switch (operator) {
            case "//" -> value.replace(pattern, replacement);
            case "/#" ->
                    value.startsWith(pattern)
                            ? replacement + value.substring(pattern.length())
                            : value;
            case "/%" ->
                    value.endsWith(pattern)
                            ? value.substring(0, value.length() - pattern.length()) + replacement
                            : value;
            default -> replaceFirst(value, pattern, replacement);
        };
    }

    private String remove(String name, char mark) throws SubstitutionException {
        int start = pos;
        while (pos - start < 2 && peek() == mark) {
            pos++;
        }
        boolean longest = pos - start == 2;
        String pattern = parameter(c -> c != '}', false);
        expect('}');
        String value = value(name, longest ? "" + mark + mark : "" + mark);
        return mark == '#'
                ? GoGlob.trimPrefix(value, pattern, longest)
                : GoGlob.trimSuffix(value, pattern, longest);
    }

    /**
     * One argument: a nested {@code ${...}}, or text up to the first character {@code accepted} refuses (or up to a
     * nested {@code ${}). An argument must not be empty.
     */
    private String parameter(CharTest accepted, boolean escapes) throws SubstitutionException {
        if (startsWith("${")) {
            pos += 2;
            return function();
        }
        StringBuilder text = new StringBuilder();
        while (!atEnd() && !startsWith("${")) {
            char c = in.charAt(pos);
            if (escapes
                    && ((c == '$' && peekAt(1) == '$')
                            || (c == '\\' && (peekAt(1) == '/' || peekAt(1) == '\\')))) {
                text.append(in.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (!accepted.test(c)) {
                break;
            }
            text.append(c);
            pos++;
        }
        if (text.isEmpty()) {
            throw new SubstitutionException("unable to parse substitution within function");
        }
        return text.toString();
    }

    private String value(String name, String operator) throws SubstitutionException {
        Optional<String> value = variables.apply(name);
        if (value.isEmpty() && strict && !isDefault(operator)) {
            throw new SubstitutionException("variable not set (strict mode): \"" + name + "\"");
        }
        return value.orElse("");
    }

    private static boolean isDefault(String operator) {
        return switch (operator) {
            case "-", "+", "=", "?", ":-", ":+", ":=", ":?" -> true;
            default -> false;
        };
    }

    private String identifier() {
        int start = pos;
        while (!atEnd()
                && (Character.isLetterOrDigit(in.codePointAt(pos)) || in.charAt(pos) == '_')) {
            pos += Character.charCount(in.codePointAt(pos));
        }
        return in.substring(start, pos);
    }

    private void expect(char c) throws SubstitutionException {
        if (peek() != c) {
            throw bad();
        }
        pos++;
    }

    private static SubstitutionException bad() {
        return new SubstitutionException("bad substitution");
    }

    private boolean atEnd() {
        return pos >= in.length();
    }

    private boolean startsWith(String prefix) {
        return in.startsWith(prefix, pos);
    }

    private char peek() {
        return peekAt(0);
    }

    private char peekAt(int offset) {
        return pos + offset < in.length() ? in.charAt(pos + offset) : 0;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Integer integer(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String firstCodePoint(String value, boolean upper) {
        if (value.isEmpty()) {
            return value;
        }
        int first = value.codePointAt(0);
        int changed = upper ? Character.toUpperCase(first) : Character.toLowerCase(first);
        return new StringBuilder()
                .appendCodePoint(changed)
                .append(value.substring(Character.charCount(first)))
                .toString();
    }

    private static String replaceFirst(String value, String pattern, String replacement) {
        int at = value.indexOf(pattern);
        return at < 0
                ? value
                : value.substring(0, at) + replacement + value.substring(at + pattern.length());
    }

    private interface CharTest {
        boolean test(char c);
    }
}
