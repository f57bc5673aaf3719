package io.sluice.health.notify;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.events.Alert;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Sluice alert into the event Flux's controller would have posted: the involved object with
 * its API version (and UID, when the object is read), the controller that owns the kind, the
 * revision as metadata, the timestamp in whole seconds.
 */
final class EventSubjects {
    private final KubernetesClient client;
    private final String instance;

    EventSubjects(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    /** Empty for an alert about a kind Flux's notifications do not cover. */
    Optional<FluxEvent> event(Alert alert) {
        if (alert == null || alert.object() == null) {
            return Optional.empty();
        }
        return FluxKinds.of(alert.object().kind())
                .map(
                        kind -> {
                            Map<String, String> metadata = new LinkedHashMap<>();
                            if (alert.revision() != null && !alert.revision().isEmpty()) {
                                metadata.put("revision", alert.revision());
                            }
                            Instant at =
                                    alert.timestamp() == null ? Instant.now() : alert.timestamp();
                            return new FluxEvent(
                                    new FluxEvent.InvolvedObject(
                                            alert.object().kind(),
                                            alert.object().namespace(),
                                            alert.object().name(),
                                            null,
                                            kind.apiVersion()),
                                    alert.severity() == Alert.Severity.error
                                            ? FluxEvent.ERROR
                                            : FluxEvent.INFO,
                                    at.truncatedTo(ChronoUnit.SECONDS).toString(),
                                    alert.message(),
                                    alert.reason(),
                                    metadata,
                                    kind.controller(),
                                    instance);
                        });
    }

    /** The involved object as it is now; empty when it is gone or cannot be read. */
    Optional<GenericKubernetesResource> read(FluxEvent event) {
        FluxEvent.InvolvedObject object = event.involvedObject();
        try {
            return Optional.ofNullable(
                    client.genericKubernetesResources(object.apiVersion(), object.kind())
                            .inNamespace(object.namespace())
                            .withName(object.name())
                            .get());
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }
}
