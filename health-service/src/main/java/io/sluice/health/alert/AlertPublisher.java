package io.sluice.health.alert;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes an alert twice over, as Flux users expect to find it: on the alerts topic (a CloudEvent
 * keyed by the object) and as a Kubernetes Event on the object ({@code kubectl describe} and {@code
 * kubectl events} show it). Repeats of one alert within the object's interval are dropped.
 */
@ApplicationScoped
public class AlertPublisher {
    private static final Logger LOG = Logger.getLogger(AlertPublisher.class);
    private final KubernetesClient client;
    private final MutinyEmitter<Alert> alerts;
    private final AlertThrottle throttle = new AlertThrottle();

    public AlertPublisher(
            KubernetesClient client, @Channel(Topics.ALERTS) MutinyEmitter<Alert> alerts) {
        this.client = client;
        this.alerts = alerts;
    }

    /**
     * @param involved the live object the alert is about, for the Kubernetes Event (null: no event)
     */
    public void publish(Alert alert, HasMetadata involved, Duration window) {
        if (!throttle.allow(alert, window)) {
            LOG.debugf("%s: repeated alert %s not sent again", alert.object(), alert.reason());
            return;
        }
        LOG.infof(
                "%s %s: %s (%s)",
                alert.object(), alert.reason(), alert.message(), alert.revision());
        alerts.sendMessageAndAwait(
                Envelopes.of(alert.object(), Alert.TYPE, "health-service", alert));
        if (involved != null) {
            recordEvent(alert, involved);
        }
    }

    private void recordEvent(Alert alert, HasMetadata involved) {
        String now =
                DateTimeFormatter.ISO_INSTANT.format(
                        alert.timestamp() == null ? Instant.now() : alert.timestamp());
        try {
            client.v1()
                    .events()
                    .inNamespace(alert.object().namespace())
                    .resource(
                            new EventBuilder()
                                    .withNewMetadata()
                                    .withNamespace(alert.object().namespace())
                                    .withName(
                                            alert.object().name()
                                                    + "."
                                                    + UUID.randomUUID().toString().substring(0, 13))
                                    .endMetadata()
                                    .withNewInvolvedObject()
                                    .withApiVersion(involved.getApiVersion())
                                    .withKind(involved.getKind())
                                    .withNamespace(involved.getMetadata().getNamespace())
                                    .withName(involved.getMetadata().getName())
                                    .withUid(involved.getMetadata().getUid())
                                    .withResourceVersion(
                                            involved.getMetadata().getResourceVersion())
                                    .endInvolvedObject()
                                    .withType(
                                            alert.severity() == Alert.Severity.error
                                                    ? "Warning"
                                                    : "Normal")
                                    .withReason(alert.reason())
                                    .withMessage(alert.message())
                                    .withFirstTimestamp(now)
                                    .withLastTimestamp(now)
                                    .withCount(1)
                                    .withNewSource()
                                    .withComponent("sluice-health")
                                    .endSource()
                                    .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "could not record a Kubernetes Event for %s: %s",
                    alert.object(), e.getMessage());
        }
    }
}
