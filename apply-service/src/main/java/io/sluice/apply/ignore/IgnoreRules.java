package io.sluice.apply.ignore;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Flux's ignore rules (a Kustomization's {@code spec.ignore}, a HelmRelease's {@code
 * spec.driftDetection.ignore}): JSON pointers, on the objects a target selects (every object when
 * there is no target), whose values Sluice neither compares nor sets.
 */
public record IgnoreRules(List<Rule> rules) {
    public static final IgnoreRules NONE = new IgnoreRules(List.of());

    public record Rule(List<String> paths, Selector target) {}

    /** The rules of a list of {@code {paths, target}} objects; none when absent. */
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

    /** The JSON pointers ignored on {@code object}. */
    public List<String> paths(GenericKubernetesResource object) {
        return rules.stream()
                .filter(r -> r.target() == null || r.target().matches(object))
                .flatMap(r -> r.paths().stream())
                .toList();
    }

    /**
     * Flux's object selector: group, version and kind match exactly, name and namespace as regular
     * expressions, label and annotation selectors as {@code key=value} pairs (every one must hold);
     * an empty field matches anything.
     */
    public record Selector(
            String group,
            String version,
            String kind,
            String name,
            String namespace,
            String labelSelector,
            String annotationSelector) {
        static Selector of(JsonNode target) {
            return new Selector(
                    text(target, "group"),
                    text(target, "version"),
                    text(target, "kind"),
                    text(target, "name"),
                    text(target, "namespace"),
                    text(target, "labelSelector"),
                    text(target, "annotationSelector"));
        }

        public boolean matches(GenericKubernetesResource object) {
            String apiVersion = object.getApiVersion();
            int slash = apiVersion.indexOf('/');
            String objectGroup = slash < 0 ? "" : apiVersion.substring(0, slash);
            String objectVersion = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            return (group == null || group.equals(objectGroup))
                    && (version == null || version.equals(objectVersion))
                    && (kind == null || kind.equals(object.getKind()))
                    && (name == null || Pattern.matches(name, object.getMetadata().getName()))
                    && (namespace == null
                            || Pattern.matches(
                                    namespace,
                                    Objects.toString(object.getMetadata().getNamespace(), "")))
                    && holds(labelSelector, object.getMetadata().getLabels())
                    && holds(annotationSelector, object.getMetadata().getAnnotations());
        }

        private static boolean holds(String selector, Map<String, String> values) {
            if (selector == null) {
                return true;
            }
            for (String requirement : selector.split(",")) {
                String[] pair = requirement.split("=", 2);
                String key = pair[0].strip();
                if (pair.length == 1
                        ? values == null || !values.containsKey(key)
                        : values == null || !pair[1].strip().equals(values.get(key))) {
                    return false;
                }
            }
            return true;
        }

        private static String text(JsonNode node, String field) {
            String value = node.path(field).asText("");
            return value.isEmpty() ? null : value;
        }
    }
}
