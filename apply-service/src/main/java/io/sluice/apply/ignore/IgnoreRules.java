package io.sluice.apply.ignore;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Flux's ignore rules (a Kustomization's {@code spec.ignore}, a HelmRelease's {@code
 * spec.driftDetection.ignore}): JSON pointers, on the objects a target selects (every object when
 * there is no target), whose values Sluice neither compares nor sets.
 */
public record IgnoreRules(List<Rule> rules) {
    public static final IgnoreRules NONE = new IgnoreRules(List.of());

    public record Rule(List<String> paths, Selector target) {}

    /**
     * The rules of a list of {@code {paths, target}} objects; none when absent. A target that does
     * not compile makes {@link #paths} fail, as Flux fails the apply.
     */
    public static IgnoreRules of(JsonNode rules) {
        if (rules == null || !rules.isArray()) {
            return NONE;
        }
        List<Rule> parsed = new ArrayList<>();
        for (JsonNode rule : rules) {
            List<String> paths = new ArrayList<>();
            rule.path("paths").forEach(p -> paths.add(p.asText()));
            JsonNode target = rule.get("target");
            parsed.add(
                    new Rule(
                            List.copyOf(paths),
                            target == null || target.isNull() ? null : Selector.of(target)));
        }
        return new IgnoreRules(List.copyOf(parsed));
    }

    /**
     * The JSON pointers ignored on {@code object}; every rule without a target applies (Flux keeps
     * only the last of those, an accident of its map of rules).
     *
     * @throws IllegalArgumentException when a rule's target is invalid, with Flux's message
     */
    public List<String> paths(GenericKubernetesResource object) {
        rules.stream()
                .map(Rule::target)
                .filter(t -> t != null && t.invalid() != null)
                .findFirst()
                .ifPresent(
                        t -> {
                            throw new IllegalArgumentException(
                                    "failed to create ignore rule selector: " + t.invalid());
                        });
        return rules.stream()
                .filter(r -> r.target() == null || r.target().matches(object))
                .flatMap(r -> r.paths().stream())
                .toList();
    }

    /**
     * Flux's object selector (fluxcd/pkg/ssa jsondiff.SelectorRegex): group, version, kind, name
     * and namespace are regular expressions matching the whole value, label and annotation
     * selectors have Kubernetes' label selector syntax; an empty field matches anything. {@code
     * invalid} says why it does not compile (null when it does).
     */
    public record Selector(
            Pattern group,
            Pattern version,
            Pattern kind,
            Pattern name,
            Pattern namespace,
            LabelSelector labels,
            LabelSelector annotations,
            String invalid) {
        static Selector of(JsonNode target) {
            String[][] fields = {
                {"group", text(target, "group")},
                {"version", text(target, "version")},
                {"kind", text(target, "kind")},
                {"name", text(target, "name")},
                {"namespace", text(target, "namespace")}
            };
            Pattern[] patterns = new Pattern[fields.length];
            for (int i = 0; i < fields.length; i++) {
                try {
                    patterns[i] =
                            fields[i][1] == null
                                    ? null
                                    : Pattern.compile("^(?:" + fields[i][1] + ")$");
                } catch (PatternSyntaxException e) {
                    return invalid("invalid " + fields[i][0] + " regex: " + e.getDescription());
                }
            }
            try {
                return new Selector(
                        patterns[0],
                        patterns[1],
                        patterns[2],
                        patterns[3],
                        patterns[4],
                        LabelSelector.parse(text(target, "labelSelector"), "label"),
                        LabelSelector.parse(text(target, "annotationSelector"), "annotation"),
                        null);
            } catch (IllegalArgumentException e) {
                return invalid(e.getMessage());
            }
        }

        private static Selector invalid(String why) {
            return new Selector(null, null, null, null, null, null, null, why);
        }

        public boolean matches(GenericKubernetesResource object) {
            String apiVersion = object.getApiVersion();
            int slash = apiVersion.indexOf('/');
            String objectGroup = slash < 0 ? "" : apiVersion.substring(0, slash);
            String objectVersion = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            return invalid == null
                    && matches(group, objectGroup)
                    && matches(version, objectVersion)
                    && matches(kind, object.getKind())
                    && matches(name, object.getMetadata().getName())
                    && matches(namespace, Objects.toString(object.getMetadata().getNamespace(), ""))
                    && (labels == null || labels.matches(object.getMetadata().getLabels()))
                    && (annotations == null
                            || annotations.matches(object.getMetadata().getAnnotations()));
        }

        private static boolean matches(Pattern pattern, String value) {
            return pattern == null || pattern.matcher(value == null ? "" : value).matches();
        }

        private static String text(JsonNode node, String field) {
            String value = node.path(field).asText("");
            return value.isEmpty() ? null : value;
        }
    }
}
