package io.sluice.health.readiness;

import java.util.List;
import java.util.Map;

/**
 * kstatus's rules for when a live object is current: the controller has seen its latest generation, and for
 * workloads every desired replica is updated and available. Objects without such rules are ready once they exist.
 * Works on plain maps so it applies to any kind the API server returns.
 */
public final class ReadinessRules {
    private ReadinessRules() {
    }

    public static Readiness of(Map<String, Object> object) {
        if (object == null) {
            return Readiness.notReady("not found");
        }
        String kind = String.valueOf(object.get("kind"));
        Map<String, Object> status = map(object.get("status"));
        if (!generationObserved(object, status)) {
            return Readiness.notReady("generation not yet observed by its controller");
        }
        return switch (kind) {
            case "Deployment" -> deployment(object, status);
            case "CustomResourceDefinition" -> condition(status, "Established")
                    ? Readiness.current() : Readiness.notReady("not established");
            default -> Readiness.current();
        };
    }

    private static Readiness deployment(Map<String, Object> object, Map<String, Object> status) {
        long desired = number(map(object.get("spec")).get("replicas"), 1);
        long updated = number(status.get("updatedReplicas"), 0);
        long available = number(status.get("availableReplicas"), 0);
        if (updated < desired) {
            return Readiness.notReady(updated + " of " + desired + " replicas updated");
        }
        if (available < desired) {
            return Readiness.notReady(available + " of " + desired + " replicas available");
        }
        return Readiness.current();
    }

    private static boolean generationObserved(Map<String, Object> object, Map<String, Object> status) {
        Object observed = status.get("observedGeneration");
        Object generation = map(object.get("metadata")).get("generation");
        return observed == null || generation == null || number(observed, 0) >= number(generation, 0);
    }

    private static boolean condition(Map<String, Object> status, String type) {
        Object conditions = status.get("conditions");
        return conditions instanceof List<?> list && list.stream().map(ReadinessRules::map)
                .anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
