package io.sluice.health.alert;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on objects ({@code kubectl describe}, {@code kubectl events}, {@code flux
 * events} show them). An Event that cannot be written is logged, never fatal.
 */
@ApplicationScoped
public class KubernetesEvents {
    private static final Logger LOG = Logger.getLogger(KubernetesEvents.class);
    private final KubernetesClient client;

    public KubernetesEvents(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param warning a {@code Warning} Event, else {@code Normal}
     */
    public void record(
            HasMetadata involved, boolean warning, String reason, String message, Instant at) {
        String now = DateTimeFormatter.ISO_INSTANT.format(at == null ? Instant.now() : at);
        String namespace = involved.getMetadata().getNamespace();
        try {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(
                            new EventBuilder()
                                    .withNewMetadata()
                                    .withNamespace(namespace)
                                    .withName(
                                            involved.getMetadata().getName()
                                                    + "."
                                                    + UUID.randomUUID().toString().substring(0, 13))
                                    .endMetadata()
                                    .withNewInvolvedObject()
                                    .withApiVersion(involved.getApiVersion())
                                    .withKind(involved.getKind())
                                    .withNamespace(namespace)
                                    .withName(involved.getMetadata().getName())
                                    .withUid(involved.getMetadata().getUid())
                                    .withResourceVersion(
                                            involved.getMetadata().getResourceVersion())
                                    .endInvolvedObject()
                                    .withType(warning ? "Warning" : "Normal")
                                    .withReason(reason)
                                    .withMessage(message)
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
                    "could not record a Kubernetes Event on %s/%s/%s: %s",
                    involved.getKind(),
                    namespace,
                    involved.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
