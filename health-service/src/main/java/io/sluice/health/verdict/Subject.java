package io.sluice.health.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.health.readiness.HealthCheckExpressions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What health-service judges: a Kustomization (waits only when {@code spec.wait}, for {@code
 * spec.timeout}, else the interval) or a HelmRelease (waits unless {@code install.disableWait}, for
 * {@code spec.timeout}, else 5 minutes, as Helm does), with its current conditions; read, as Flux
 * reads it, as the owner's {@code spec.serviceAccountName} on its {@code spec.kubeConfig}'s
 * cluster.
 */
record Subject(
        Class<? extends HasMetadata> type,
        HasMetadata live,
        boolean waits,
        Duration timeout,
        Duration interval,
        List<Condition> conditions,
        List<AppliedObject> healthChecks,
        JsonNode kubeConfig,
        String serviceAccountName) {

    static Optional<Subject> load(KubernetesClient client, ObjectRef ref) {
        if (HelmRelease.KIND.equals(ref.kind())) {
            HelmRelease release =
                    client.resources(HelmRelease.class)
                            .inNamespace(ref.namespace())
                            .withName(ref.name())
                            .get();
            return Optional.ofNullable(release)
                    .map(
                            r ->
                                    new Subject(
                                            HelmRelease.class,
                                            r,
                                            r.getSpec().install == null
                                                    || !r.getSpec()
                                                            .install
                                                            .path("disableWait")
                                                            .asBoolean(false),
                                            GoDuration.parse(
                                                    r.getSpec().timeout, Duration.ofMinutes(5)),
                                            GoDuration.parse(
                                                    r.getSpec().interval, Duration.ofMinutes(10)),
                                            r.getStatus() == null ? null : r.getStatus().conditions,
                                            List.of(),
                                            r.getSpec().kubeConfig,
                                            r.getSpec().serviceAccountName));
        }
        Kustomization ks =
                client.resources(Kustomization.class)
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
        return Optional.ofNullable(ks)
                .map(
                        k ->
                                new Subject(
                                        Kustomization.class,
                                        k,
                                        Boolean.TRUE.equals(k.getSpec().wait),
                                        GoDuration.parse(
                                                k.getSpec().timeout,
                                                GoDuration.parse(
                                                        k.getSpec().interval,
                                                        Duration.ofMinutes(5))),
                                        GoDuration.parse(
                                                k.getSpec().interval, Duration.ofMinutes(10)),
                                        k.getStatus() == null ? null : k.getStatus().conditions,
                                        healthChecks(k),
                                        k.getSpec().kubeConfig,
                                        k.getSpec().serviceAccountName));
    }

    /**
     * The condition a ready HelmRelease's Ready repeats, as helm-controller sums it up: {@code
     * TestSuccess} when its tests run and their failures are not ignored, else {@code Released}.
     */
    String releaseSummary() {
        return live instanceof HelmRelease release
                        && release.getSpec().test != null
                        && release.getSpec().test.path("enable").asBoolean(false)
                        && !release.getSpec().test.path("ignoreFailures").asBoolean(false)
                ? Conditions.TEST_SUCCESS
                : Conditions.RELEASED;
    }

    /**
     * True when the status already holds the Ready verdict on {@code attempt}: Ready, of its
     * generation, its requested reconcile handled, and for a Kustomization its revision applied.
     */
    boolean readyAt(Attempt attempt) {
        Long observed;
        String handled;
        String applied;
        if (live instanceof HelmRelease release) {
            observed = release.getStatus() == null ? null : release.getStatus().observedGeneration;
            handled =
                    release.getStatus() == null ? null : release.getStatus().lastHandledReconcileAt;
            applied = attempt.revision();
        } else {
            var status = ((Kustomization) live).getStatus();
            observed = status == null ? null : status.observedGeneration;
            handled = status == null ? null : status.lastHandledReconcileAt;
            applied = status == null ? null : status.lastAppliedRevision;
        }
        return Conditions.isTrue(conditions, Conditions.READY)
                && observed != null
                && observed == attempt.generation()
                && (attempt.requestedAt() == null || attempt.requestedAt().equals(handled))
                && java.util.Objects.equals(applied, attempt.revision());
    }

    /** The conditions of a HelmRelease or Kustomization as read. */
    static List<Condition> conditionsOf(HasMetadata live) {
        if (live instanceof HelmRelease release) {
            return release.getStatus() == null ? null : release.getStatus().conditions;
        }
        Kustomization ks = (Kustomization) live;
        return ks.getStatus() == null ? null : ks.getStatus().conditions;
    }

    /** A Kustomization's {@code spec.healthCheckExprs}; none for a HelmRelease. */
    HealthCheckExpressions expressions() throws HealthCheckExpressions.InvalidExpression {
        return live instanceof Kustomization ks
                ? HealthCheckExpressions.parse(ks.getSpec().healthCheckExprs)
                : HealthCheckExpressions.NONE;
    }

    /**
     * {@code spec.healthChecks}: objects checked whether or not {@code spec.wait} is set (namespace
     * defaults to the Kustomization's).
     */
    private static List<AppliedObject> healthChecks(Kustomization ks) {
        return ks.getSpec().healthChecks == null
                ? List.of()
                : ks.getSpec().healthChecks.stream()
                        .map(
                                h ->
                                        new AppliedObject(
                                                h.apiVersion,
                                                h.kind,
                                                h.namespace == null || h.namespace.isEmpty()
                                                        ? ks.getMetadata().getNamespace()
                                                        : h.namespace,
                                                h.name,
                                                AppliedObject.Action.UNCHANGED,
                                                null))
                        .toList();
    }
}
