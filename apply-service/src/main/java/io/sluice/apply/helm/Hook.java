package io.sluice.apply.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.contracts.meta.Annotations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A chart hook as Helm reads it: the events in {@code helm.sh/hook} (comma-separated; a hook naming
 * an event Helm does not know is no hook at all and is skipped), its {@code helm.sh/hook-weight}
 * (not a number: 0) and its {@code helm.sh/hook-delete-policy} (none: {@code
 * before-hook-creation}).
 */
public record Hook(
        GenericKubernetesResource object,
        List<String> events,
        int weight,
        List<String> deletePolicies) {
    public static final String PRE_INSTALL = "pre-install";
    public static final String POST_INSTALL = "post-install";
    public static final String PRE_UPGRADE = "pre-upgrade";
    public static final String POST_UPGRADE = "post-upgrade";
    public static final String PRE_ROLLBACK = "pre-rollback";
    public static final String POST_ROLLBACK = "post-rollback";
    public static final String PRE_DELETE = "pre-delete";
    public static final String POST_DELETE = "post-delete";
    public static final String TEST = "test";

    /** Helm 2's name for a test, which Helm 3 still reads as {@code test}. */
    private static final String LEGACY_TEST = "test-success";

    static final String BEFORE_HOOK_CREATION = "before-hook-creation";
    static final String HOOK_SUCCEEDED = "hook-succeeded";
    static final String HOOK_FAILED = "hook-failed";
    private static final Set<String> EVENTS =
            Set.of(
                    PRE_INSTALL,
                    POST_INSTALL,
                    PRE_UPGRADE,
                    POST_UPGRADE,
                    PRE_ROLLBACK,
                    POST_ROLLBACK,
                    PRE_DELETE,
                    POST_DELETE,
                    TEST,
                    LEGACY_TEST);

    private static final String WEIGHT = "helm.sh/hook-weight";
    private static final String DELETE_POLICY = "helm.sh/hook-delete-policy";

    /**
     * Whether Helm treats the object as a hook (then it is never part of the release's own
     * objects).
     */
    public static boolean isHook(GenericKubernetesResource object) {
        return annotation(object, Annotations.HELM_HOOK) != null;
    }

    /**
     * The object as a hook; empty when it names an event Helm does not know (Helm skips such a
     * hook).
     */
    public static Optional<Hook> of(GenericKubernetesResource object) {
        String value = annotation(object, Annotations.HELM_HOOK);
        if (value == null) {
            return Optional.empty();
        }
        List<String> events = split(value);
        if (events.isEmpty() || !EVENTS.containsAll(events)) {
            return Optional.empty();
        }
        events = events.stream().map(e -> LEGACY_TEST.equals(e) ? TEST : e).distinct().toList();
        int weight;
        try {
            weight =
                    Integer.parseInt(
                            Optional.ofNullable(annotation(object, WEIGHT)).orElse("0").trim());
        } catch (NumberFormatException e) {
            weight = 0;
        }
        String policies = annotation(object, DELETE_POLICY);
        return Optional.of(
                new Hook(object, events, weight, policies == null ? List.of() : split(policies)));
    }

    /**
     * The hooks that run at {@code event}, in Helm's order: by weight, then by name; kinds in
     * Helm's install order where both are equal.
     */
    public static List<Hook> forEvent(List<Hook> hooks, String event) {
        return hooks.stream()
                .filter(h -> h.events.contains(event))
                .sorted(
                        Comparator.comparingInt((Hook h) -> KindOrder.install(h.object.getKind()))
                                .thenComparing(h -> h.object.getKind()))
                .sorted(
                        Comparator.comparingInt(Hook::weight)
                                .thenComparing(h -> h.object.getMetadata().getName()))
                .toList();
    }

    /** The delete policies in force: {@code before-hook-creation} when the hook names none. */
    public List<String> policies() {
        return deletePolicies.isEmpty() ? List.of(BEFORE_HOOK_CREATION) : deletePolicies;
    }

    public String name() {
        return object.getMetadata().getName();
    }

    public String display() {
        return ObjectId.of(object).display();
    }

    ObjectNode toJson() {
        ObjectNode json = ReleaseRecord.JSON.createObjectNode();
        json.put("name", object.getMetadata().getName());
        json.put("kind", object.getKind());
        json.put("path", object.getKind() + "/" + object.getMetadata().getName());
        json.put("manifest", Manifest.yaml(List.of(object)));
        events.forEach(json.putArray("events")::add);
        ObjectNode lastRun = json.putObject("last_run");
        lastRun.put("started_at", "");
        lastRun.put("completed_at", "");
        lastRun.put("phase", "");
        json.put("weight", weight);
        deletePolicies.forEach(json.putArray("delete_policies")::add);
        return json;
    }

    static Hook fromJson(JsonNode json) {
        List<GenericKubernetesResource> objects =
                Manifest.objects(json.path("manifest").asText(""));
        if (objects.isEmpty()) {
            throw new IllegalArgumentException(
                    "hook " + json.path("name").asText() + " has no manifest");
        }
        List<String> events = new ArrayList<>();
        json.path("events").forEach(e -> events.add(e.asText()));
        List<String> policies = new ArrayList<>();
        json.path("delete_policies").forEach(p -> policies.add(p.asText()));
        return new Hook(objects.get(0), events, json.path("weight").asInt(0), policies);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String annotation(GenericKubernetesResource object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
