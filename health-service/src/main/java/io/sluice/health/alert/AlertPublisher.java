package io.sluice.health.alert;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
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
    private final KubernetesEvents events;
    private final MutinyEmitter<Alert> alerts;
    private final AlertThrottle throttle = new AlertThrottle();

    public AlertPublisher(
            KubernetesEvents events, @Channel(Topics.ALERTS) MutinyEmitter<Alert> alerts) {
        this.events = events;
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
            events.record(
                    involved,
                    alert.severity() == Alert.Severity.error,
                    alert.reason(),
                    alert.message(),
                    alert.timestamp());
        }
    }
}
