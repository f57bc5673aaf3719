package io.sluice.apply.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is done about an owner's drifted objects. A Kustomization's are always corrected. A
 * HelmRelease's follow its {@code spec.driftDetection} as helm-controller does: {@code disabled}
 * (the default) leaves them, {@code warn} reports them, {@code enabled} corrects them; {@code
 * ignore} rules name JSON pointers, on the objects a target selects, that are neither drift nor
 * corrected.
 */
public record DriftPolicy(Mode mode, List<IgnoreRule> ignore) {
    public enum Mode {
        ENABLED,
        WARN,
        DISABLED
    }

    public static final DriftPolicy CORRECT = new DriftPolicy(Mode.ENABLED, List.of());

    /** A HelmRelease's {@code spec.driftDetection}. */
    public static DriftPolicy of(JsonNode driftDetection) {
        if (driftDetection == null || driftDetection.isNull()) {
            return new DriftPolicy(Mode.DISABLED, List.of());
        }
        Mode mode =
                switch (driftDetection.path("mode").asText("")) {
                    case "enabled" -> Mode.ENABLED;
                    case "warn" -> Mode.WARN;
                    default -> Mode.DISABLED;
                };
        List<IgnoreRule> rules = new ArrayList<>();
        for (JsonNode rule : driftDetection.path("ignore")) {
            List<String> paths = new ArrayList<>();
            rule.path("paths").forEach(p -> paths.add(p.asText()));
            JsonNode target = rule.get("target");
            rules.add(
                    new IgnoreRule(
                            paths, target == null || target.isNull() ? null : Selector.of(target)));
        }
        return new DriftPolicy(mode, List.copyOf(rules));
    }

    /** The JSON pointers ignored on {@code object}. */
    public List<String> ignoredPaths(GenericKubernetesResource object) {
        return ignore.stream()
                .filter(r -> r.target() == null || r.target().matches(object))
                .flatMap(r -> r.paths().stream())
                .toList();
    }

    public record IgnoreRule(List<String> paths, Selector target) {}

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
