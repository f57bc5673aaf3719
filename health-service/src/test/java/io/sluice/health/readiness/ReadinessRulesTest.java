package io.sluice.health.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessRulesTest {
    @Test
    void aDeploymentIsReadyWhenEveryReplicaIsUpdatedAndAvailable() {
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 2, 2)).ready()).isTrue();
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 2, 1)).message())
                .isEqualTo("1 of 2 replicas available");
        assertThat(ReadinessRules.of(deployment(2, 1, 2, 1, 1)).message())
                .isEqualTo("1 of 2 replicas updated");
    }

    @Test
    void anUnobservedGenerationIsNotReady() {
        assertThat(ReadinessRules.of(deployment(1, 3, 2, 1, 1)).message())
                .contains("generation not yet observed");
    }

    @Test
    void aCrdIsReadyOnceEstablished() {
        Map<String, Object> crd =
                Map.of(
                        "kind",
                        "CustomResourceDefinition",
                        "metadata",
                        Map.of(),
                        "status",
                        Map.of(
                                "conditions",
                                List.of(Map.of("type", "Established", "status", "True"))));
        assertThat(ReadinessRules.of(crd).ready()).isTrue();
        assertThat(
                        ReadinessRules.of(
                                        Map.of(
                                                "kind",
                                                "CustomResourceDefinition",
                                                "metadata",
                                                Map.of()))
                                .ready())
                .isFalse();
    }

    @Test
    void otherKindsAreReadyWhenTheyExist() {
        assertThat(ReadinessRules.of(Map.of("kind", "ConfigMap", "metadata", Map.of())).ready())
                .isTrue();
        assertThat(ReadinessRules.of(null).message()).isEqualTo("not found");
    }

    @Test
    void aStatefulSetNeedsEveryReplicaReadyAndOneRevision() {
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "StatefulSet",
                                                Map.of("replicas", 3),
                                                Map.of(
                                                        "updatedReplicas",
                                                        3,
                                                        "readyReplicas",
                                                        3,
                                                        "currentRevision",
                                                        "a",
                                                        "updateRevision",
                                                        "a")))
                                .ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "StatefulSet",
                                                Map.of("replicas", 3),
                                                Map.of("updatedReplicas", 3, "readyReplicas", 2)))
                                .message())
                .isEqualTo("2 of 3 replicas ready");
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "StatefulSet",
                                                Map.of("replicas", 1),
                                                Map.of(
                                                        "updatedReplicas",
                                                        1,
                                                        "readyReplicas",
                                                        1,
                                                        "currentRevision",
                                                        "a",
                                                        "updateRevision",
                                                        "b")))
                                .message())
                .isEqualTo("rolling out revision b");
    }

    @Test
    void aDaemonSetNeedsEveryScheduledPodUpdatedAndAvailable() {
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "DaemonSet",
                                                Map.of(),
                                                Map.of(
                                                        "desiredNumberScheduled",
                                                        2,
                                                        "updatedNumberScheduled",
                                                        2,
                                                        "numberAvailable",
                                                        2)))
                                .ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "DaemonSet",
                                                Map.of(),
                                                Map.of(
                                                        "desiredNumberScheduled",
                                                        2,
                                                        "updatedNumberScheduled",
                                                        2,
                                                        "numberAvailable",
                                                        0)))
                                .message())
                .isEqualTo("0 of 2 replicas available");
    }

    @Test
    void aReplicaSetNeedsItsReplicasAvailable() {
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "ReplicaSet",
                                                Map.of("replicas", 2),
                                                Map.of("replicas", 2, "availableReplicas", 2)))
                                .ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "ReplicaSet",
                                                Map.of("replicas", 2),
                                                Map.of("replicas", 2, "availableReplicas", 1)))
                                .ready())
                .isFalse();
    }

    @Test
    void aJobIsReadyWhenCompleteAndSaysWhyWhenFailed() {
        assertThat(
                        ReadinessRules.of(obj("Job", Map.of(), conditions("Complete", "True", "")))
                                .ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "Job",
                                                Map.of(),
                                                conditions(
                                                        "Failed", "True", "BackoffLimitExceeded")))
                                .message())
                .isEqualTo("failed: BackoffLimitExceeded");
        assertThat(ReadinessRules.of(obj("Job", Map.of(), Map.of("active", 1))).message())
                .isEqualTo("not complete: 1 active, 0 succeeded");
    }

    @Test
    void aPodIsReadyRunningAndReadyOrSucceeded() {
        Map<String, Object> running = new java.util.HashMap<>(conditions("Ready", "True", ""));
        running.put("phase", "Running");
        assertThat(ReadinessRules.of(obj("Pod", Map.of(), running)).ready()).isTrue();
        assertThat(ReadinessRules.of(obj("Pod", Map.of(), Map.of("phase", "Succeeded"))).ready())
                .isTrue();
        assertThat(ReadinessRules.of(obj("Pod", Map.of(), Map.of("phase", "Pending"))).message())
                .isEqualTo("phase Pending, not ready");
    }

    @Test
    void aClaimIsReadyWhenBound() {
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "PersistentVolumeClaim",
                                                Map.of(),
                                                Map.of("phase", "Bound")))
                                .ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "PersistentVolumeClaim",
                                                Map.of(),
                                                Map.of("phase", "Pending")))
                                .message())
                .contains("not bound");
    }

    @Test
    void onlyALoadBalancerServiceWaitsForAnAddress() {
        assertThat(ReadinessRules.of(obj("Service", Map.of("type", "ClusterIP"), Map.of())).ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(obj("Service", Map.of("type", "LoadBalancer"), Map.of()))
                                .message())
                .isEqualTo("no load balancer address yet");
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "Service",
                                                Map.of("type", "LoadBalancer"),
                                                Map.of(
                                                        "loadBalancer",
                                                        Map.of(
                                                                "ingress",
                                                                List.of(
                                                                        Map.of(
                                                                                "ip",
                                                                                "127.0.0.1"))))))
                                .ready())
                .isTrue();
    }

    @Test
    void aNamespaceIsReadyUnlessTerminating() {
        assertThat(ReadinessRules.of(obj("Namespace", Map.of(), Map.of("phase", "Active"))).ready())
                .isTrue();
        assertThat(
                        ReadinessRules.of(
                                        obj("Namespace", Map.of(), Map.of("phase", "Terminating")))
                                .ready())
                .isFalse();
    }

    @Test
    void nestedFluxObjectsAndOtherCustomResourcesAreJudgedByTheirConditions() {
        assertThat(ReadinessRules.of(flux("Kustomization", "True", "Applied")).ready()).isTrue();
        assertThat(ReadinessRules.of(flux("HelmRelease", "False", "chart not found")).message())
                .isEqualTo("not ready: chart not found");
        assertThat(ReadinessRules.of(obj("HelmRelease", Map.of(), Map.of())).message())
                .as("just applied, no verdict yet")
                .isEqualTo("not yet reconciled");
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "Certificate",
                                                Map.of(),
                                                conditions("Reconciling", "True", "issuing")))
                                .message())
                .isEqualTo("reconciling: issuing");
        assertThat(
                        ReadinessRules.of(
                                        obj(
                                                "Certificate",
                                                Map.of(),
                                                conditions("Stalled", "True", "bad issuer")))
                                .message())
                .isEqualTo("stalled: bad issuer");
        Map<String, Object> stale =
                Map.of(
                        "kind",
                        "Kustomization",
                        "metadata",
                        Map.of("generation", 2),
                        "status",
                        Map.of(
                                "observedGeneration",
                                1,
                                "conditions",
                                List.of(Map.of("type", "Ready", "status", "True"))));
        assertThat(ReadinessRules.of(stale).ready()).isFalse();
    }

    private static Map<String, Object> flux(String kind, String ready, String message) {
        return Map.of(
                "kind",
                kind,
                "metadata",
                Map.of("generation", 1),
                "status",
                Map.of(
                        "observedGeneration",
                        1,
                        "conditions",
                        List.of(Map.of("type", "Ready", "status", ready, "message", message))));
    }

    private static Map<String, Object> obj(
            String kind, Map<String, Object> spec, Map<String, Object> status) {
        return Map.of("kind", kind, "metadata", Map.of(), "spec", spec, "status", status);
    }

    private static Map<String, Object> conditions(String type, String status, String message) {
        return Map.of(
                "conditions", List.of(Map.of("type", type, "status", status, "message", message)));
    }

    private static Map<String, Object> deployment(
            long replicas, long generation, long observed, long updated, long available) {
        return Map.of(
                "kind",
                "Deployment",
                "metadata",
                Map.of("generation", generation),
                "spec",
                Map.of("replicas", replicas),
                "status",
                Map.of(
                        "observedGeneration",
                        observed,
                        "updatedReplicas",
                        updated,
                        "availableReplicas",
                        available));
    }
}
