package io.sluice.apply.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form ({@code app=web,tier!=db,env in (a,b),!legacy}),
 * as {@code labels.Parse} reads it; every requirement must hold. Also used on annotations, as Flux
 * does.
 */
public final class LabelSelector {
    private static final Pattern SET =
            Pattern.compile("^\\s*([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");
    private static final Pattern EQUALITY =
            Pattern.compile("^\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*$");
    private static final Pattern EXISTS = Pattern.compile("^\\s*(!?)\\s*([^\\s!=(),]+)\\s*$");

    private record Requirement(String key, String operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels == null ? null : labels.get(key);
            return switch (operator) {
                case "exists" -> value != null;
                case "!" -> value == null;
                case "in", "=" -> value != null && values.contains(value);
                default -> value == null || !values.contains(value); // notin, !=
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * The selector {@code text} says; null for none.
     *
     * @param what "label" or "annotation", for the error
     * @throws IllegalArgumentException naming the selector when it cannot be read
     */
    public static LabelSelector parse(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : split(text)) {
            Matcher set = SET.matcher(part);
            Matcher equality = EQUALITY.matcher(part);
            Matcher exists = EXISTS.matcher(part);
            if (set.matches()) {
                Set<String> values = new java.util.HashSet<>();
                for (String value : set.group(3).split(",")) {
                    if (!value.isBlank()) {
                        values.add(value.strip());
                    }
                }
                requirements.add(new Requirement(set.group(1), set.group(2), values));
            } else if (equality.matches()) {
                String operator = "!=".equals(equality.group(2)) ? "!=" : "=";
                requirements.add(
                        new Requirement(equality.group(1), operator, Set.of(equality.group(3))));
            } else if (exists.matches()) {
                requirements.add(
                        new Requirement(
                                exists.group(2),
                                exists.group(1).isEmpty() ? "exists" : "!",
                                Set.of()));
            } else {
                throw new IllegalArgumentException(
                        "invalid "
                                + what
                                + " selector: unable to parse requirement: "
                                + part.strip());
            }
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** The requirements: split at commas outside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
