package io.sluice.health.alert;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.DriftCorrected;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Reasons;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every drift correction apply-service reports becomes a {@code DriftCorrected} alert and an Event
 * on its owner; drift found and left alone ({@code driftDetection.mode: warn}) a {@code
 * DriftDetected} one.
 */
@ApplicationScoped
public class DriftAlerts {
    private final KubernetesClient client;
    private final AlertPublisher alerts;

    public DriftAlerts(KubernetesClient client, AlertPublisher alerts) {
        this.client = client;
        this.alerts = alerts;
    }

    @Incoming(Topics.DRIFT)
    @Blocking
    public void onDrift(DriftCorrected drift) {
        if (drift == null || drift.owner() == null) {
            return; // unreadable (see application.properties): skipped
        }
        // every correction is news: never throttled away (the window is zero)
        alerts.publish(
                new Alert(
                        Alert.Severity.info,
                        drift.warnOnly() ? Reasons.DRIFT_DETECTED : Reasons.DRIFT_CORRECTED,
                        drift.describe(),
                        drift.owner(),
                        drift.revision(),
                        drift.correctedAt()),
                owner(drift.owner()),
                Duration.ZERO);
    }

    private HasMetadata owner(ObjectRef ref) {
        Class<? extends HasMetadata> type =
                HelmRelease.KIND.equals(ref.kind()) ? HelmRelease.class : Kustomization.class;
        return client.resources(type).inNamespace(ref.namespace()).withName(ref.name()).get();
    }
}
