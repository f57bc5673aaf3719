package io.sluice.health.readiness;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kstatus's rules for when a live object is current: its controller has seen its latest generation,
 * and then by kind (workloads: every desired replica updated and available; a Job complete; a Pod
 * running and ready; a claim bound; a LoadBalancer Service given an address; a CRD established; a
 * Namespace active). Any other object is judged by its kstatus conditions ({@code Stalled}, {@code
 * Reconciling}) or its {@code Ready} condition (which covers nested Kustomizations and
 * HelmReleases); an object with none of these is current once it exists. Works on plain maps so it
 * applies to any kind the API server returns.
 */
public final class ReadinessRules {
    private ReadinessRules() {}

    public static Readiness of(Map<String, Object> object) {
        if (object == null) {
            return Readiness.notReady("not found");
        }
        String kind = String.valueOf(object.get("kind"));
        Map<String, Object> spec = map(object.get("spec"));
        Map<String, Object> status = map(object.get("status"));
        if (map(object.get("metadata")).get("deletionTimestamp") != null) {
            return Readiness.notReady("being deleted");
        }
        if (!generationObserved(object, status)) {
            return Readiness.notReady("generation not yet observed by its controller");
        }
        return switch (kind) {
            case "Deployment" ->
                    replicas(
                            number(spec.get("replicas"), 1),
                            number(status.get("updatedReplicas"), 0),
                            number(status.get("availableReplicas"), 0),
                            "available");
            case "StatefulSet" -> statefulSet(spec, status);
            case "DaemonSet" -> daemonSet(status);
            case "ReplicaSet" ->
                    replicas(
                            number(spec.get("replicas"), 1),
                            number(status.get("replicas"), 0),
                            number(status.get("availableReplicas"), 0),
                            "available");
            case "Job" -> job(status);
            case "Pod" -> pod(status);
            case "PersistentVolumeClaim" ->
                    "Bound".equals(status.get("phase"))
                            ? Readiness.current()
                            : Readiness.notReady(
                                    "not bound (phase "
                                            + status.getOrDefault("phase", "Pending")
                                            + ")");
            case "Service" -> service(spec, status);
            case "CustomResourceDefinition" ->
                    condition(status, "Established").filter("True"::equals).isPresent()
                            ? Readiness.current()
                            : Readiness.notReady("not established");
            case "Namespace" ->
                    "Terminating".equals(status.get("phase"))
                            ? Readiness.notReady("terminating")
                            : Readiness.current();
            case "Kustomization", "HelmRelease", "GitRepository", "HelmRepository" ->
                    fluxObject(object, status);
            default -> byConditions(status);
        };
    }

    private static Readiness replicas(long desired, long updated, long available, String what) {
        if (updated < desired) {
            return Readiness.notReady(updated + " of " + desired + " replicas updated");
        }
        if (available < desired) {
            return Readiness.notReady(available + " of " + desired + " replicas " + what);
        }
        return Readiness.current();
    }

    private static Readiness statefulSet(Map<String, Object> spec, Map<String, Object> status) {
        long desired = number(spec.get("replicas"), 1);
        Readiness ready =
                replicas(
                        desired,
                        number(status.get("updatedReplicas"), 0),
                        number(status.get("readyReplicas"), 0),
                        "ready");
        if (!ready.ready()) {
            return ready;
        }
        Object current = status.get("currentRevision");
        Object update = status.get("updateRevision");
        return current != null && update != null && !current.equals(update)
                ? Readiness.notReady("rolling out revision " + update)
                : Readiness.current();
    }

    private static Readiness daemonSet(Map<String, Object> status) {
        long desired = number(status.get("desiredNumberScheduled"), 0);
        return replicas(
                desired,
                number(status.get("updatedNumberScheduled"), 0),
                number(status.get("numberAvailable"), 0),
                "available");
    }

    private static Readiness job(Map<String, Object> status) {
        if (condition(status, "Failed").filter("True"::equals).isPresent()) {
            return Readiness.notReady("failed: " + conditionMessage(status, "Failed"));
        }
        if (condition(status, "Complete").filter("True"::equals).isPresent()) {
            return Readiness.current();
        }
        return Readiness.notReady(
                "not complete: "
                        + number(status.get("active"), 0)
                        + " active, "
                        + number(status.get("succeeded"), 0)
                        + " succeeded");
    }

    private static Readiness pod(Map<String, Object> status) {
        Object phase = status.getOrDefault("phase", "Pending");
        if ("Succeeded".equals(phase)) {
            return Readiness.current();
        }
        if ("Running".equals(phase)
                && condition(status, "Ready").filter("True"::equals).isPresent()) {
            return Readiness.current();
        }
        return Readiness.notReady(
                "Failed".equals(phase) ? "failed" : "phase " + phase + ", not ready");
    }

    private static Readiness service(Map<String, Object> spec, Map<String, Object> status) {
        if (!"LoadBalancer".equals(spec.get("type"))) {
            return Readiness.current();
        }
        Object ingress = map(status.get("loadBalancer")).get("ingress");
        return ingress instanceof List<?> list && !list.isEmpty()
                ? Readiness.current()
                : Readiness.notReady("no load balancer address yet");
    }

    /**
     * A Flux object is ready only once its controller has judged its current generation Ready: one
     * just applied has no status yet, and must not count as ready (Flux's controllers set
     * Reconciling at once; here the verdict comes a little later).
     */
    private static Readiness fluxObject(Map<String, Object> object, Map<String, Object> status) {
        Object generation = map(object.get("metadata")).get("generation");
        if (status.get("observedGeneration") == null
                || (generation != null
                        && number(status.get("observedGeneration"), 0) < number(generation, 0))) {
            return Readiness.notReady("not yet reconciled");
        }
        Optional<String> ready = condition(status, "Ready");
        return ready.filter("True"::equals).isPresent()
                ? Readiness.current()
                : Readiness.notReady(
                        "not ready"
                                + (ready.isPresent()
                                        ? ": " + conditionMessage(status, "Ready")
                                        : ""));
    }

    private static Readiness byConditions(Map<String, Object> status) {
        if (condition(status, "Stalled").filter("True"::equals).isPresent()) {
            return Readiness.notReady("stalled: " + conditionMessage(status, "Stalled"));
        }
        if (condition(status, "Reconciling").filter("True"::equals).isPresent()) {
            return Readiness.notReady("reconciling: " + conditionMessage(status, "Reconciling"));
        }
        Optional<String> ready = condition(status, "Ready");
        if (ready.isPresent() && !"True".equals(ready.get())) {
            return Readiness.notReady("not ready: " + conditionMessage(status, "Ready"));
        }
        return Readiness.current();
    }

    /**
     * An object whose status reports {@code observedGeneration} must have observed its current
     * generation.
     */
    private static boolean generationObserved(
            Map<String, Object> object, Map<String, Object> status) {
        Object observed = status.get("observedGeneration");
        Object generation = map(object.get("metadata")).get("generation");
        return observed == null
                || generation == null
                || number(observed, 0) >= number(generation, 0);
    }

    private static Optional<String> condition(Map<String, Object> status, String type) {
        Object conditions = status.get("conditions");
        if (!(conditions instanceof List<?> list)) {
            return Optional.empty();
        }
        return list.stream()
                .map(ReadinessRules::map)
                .filter(c -> type.equals(c.get("type")))
                .map(c -> String.valueOf(c.get("status")))
                .findFirst();
    }

    private static String conditionMessage(Map<String, Object> status, String type) {
        Object conditions = status.get("conditions");
        return conditions instanceof List<?> list
                ? list.stream()
                        .map(ReadinessRules::map)
                        .filter(c -> type.equals(c.get("type")))
                        .map(
                                c ->
                                        String.valueOf(
                                                c.getOrDefault(
                                                        "message", c.getOrDefault("reason", ""))))
                        .findFirst()
                        .orElse("")
                : "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
