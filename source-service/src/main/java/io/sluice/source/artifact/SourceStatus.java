package io.sluice.source.artifact;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.ArtifactEvent;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.trace.Stages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * What a source reconciler reports, the same way for every kind of source: its status (the Ready
 * condition, the artifact, {@code observedGeneration}, {@code lastHandledReconcileAt}), the
 * artifact announced on Kafka once per digest (again after a restart, or when an announcement
 * failed), and a failure's alert once per distinct failure.
 */
@ApplicationScoped
public class SourceStatus {
    private static final Logger LOG = Logger.getLogger(SourceStatus.class);
    private final KubernetesClient client;
    private final MutinyEmitter<ArtifactEvent> artifacts;
    private final MutinyEmitter<Alert> alerts;
    private final ObjectStates states;
    private final Ownership ownership;
    private final Map<ObjectRef, String> announced = new ConcurrentHashMap<>();

    public SourceStatus(
            KubernetesClient client,
            @Channel(Topics.ARTIFACTS) MutinyEmitter<ArtifactEvent> artifacts,
            @Channel(Topics.ALERTS) MutinyEmitter<Alert> alerts,
            ObjectStates states,
            Ownership ownership) {
        this.client = client;
        this.ownership = ownership;
        this.artifacts = artifacts;
        this.alerts = alerts;
        this.states = states;
    }

    /**
     * The source holds {@code artifact}: status first (a renderer hearing of the artifact reads it
     * there), then the announcement when this digest was not announced yet, naming the files
     * changed since the previous artifact (null: not known), which render-service renders first.
     * True when announced.
     */
    public boolean stored(
            ObjectRef ref,
            HasMetadata source,
            List<Condition> conditions,
            Artifact artifact,
            String message,
            Map<String, Object> extra,
            List<String> changedPaths) {
        if (!stillOwned(ref)) {
            return false;
        }
        write(source, conditions, artifact, true, "Succeeded", message, extra);
        Stages.revision(artifact.revision);
        boolean announce = !artifact.digest.equals(announced.get(ref));
        if (announce) {
            artifacts.sendMessageAndAwait(
                    Envelopes.of(
                            ref,
                            ArtifactEvent.TYPE,
                            "source-service",
                            ArtifactEvent.stored(
                                            ref,
                                            artifact.revision,
                                            artifact.digest,
                                            artifact.url,
                                            artifact.size == null ? 0 : artifact.size)
                                    .withChangedPaths(changedPaths)));
            announced.put(ref, artifact.digest);
        }
        states.succeeded(ref, artifact.revision, "Succeeded", message);
        return announce;
    }

    /**
     * The source holds {@code artifact} that no renderer reads (a HelmRepository's index, which
     * source-service resolves charts against itself): its status only, nothing announced.
     */
    public void recorded(
            ObjectRef ref,
            HasMetadata source,
            List<Condition> conditions,
            Artifact artifact,
            String message,
            Map<String, Object> extra) {
        if (!stillOwned(ref)) {
            return;
        }
        write(source, conditions, artifact, true, "Succeeded", message, extra);
        states.succeeded(ref, artifact.revision, "Succeeded", message);
    }

    /**
     * The source failed: Ready=False with the reason and message, the artifact it had kept, and an
     * alert unless the same failure was reported last time.
     */
    public void failed(
            ObjectRef ref,
            HasMetadata source,
            List<Condition> conditions,
            Artifact kept,
            String reason,
            String message) {
        failed(ref, source, conditions, kept, reason, message, false);
    }

    /**
     * @param stalled the source cannot succeed until its spec changes (an invalid URL):
     *     Stalled=True as well, as source-controller marks it
     */
    public void failed(
            ObjectRef ref,
            HasMetadata source,
            List<Condition> conditions,
            Artifact kept,
            String reason,
            String message,
            boolean stalled) {
        if (!stillOwned(ref)) {
            return;
        }
        boolean repeated =
                Conditions.find(conditions, Conditions.READY)
                        .filter(
                                c ->
                                        "False".equals(c.getStatus())
                                                && message.equals(c.getMessage()))
                        .isPresent();
        write(source, conditions, kept, false, reason, message, Map.of(), stalled);
        Stages.failed(reason, message);
        states.failed(ref, null, reason, message);
        if (!repeated) {
            alerts.sendMessageAndAwait(
                    Envelopes.of(
                            ref,
                            Alert.TYPE,
                            "source-service",
                            new Alert(
                                    Alert.Severity.error,
                                    reason,
                                    message,
                                    ref,
                                    null,
                                    Instant.now())));
        }
    }

    /**
     * False when the source's partition left this replica while it was being reconciled: what it
     * found is not written (the new owner's status and announcement may be newer).
     */
    private boolean stillOwned(ObjectRef ref) {
        if (ownership.owns(ref)) {
            return true;
        }
        LOG.infof("%s: no longer this replica's, its status not written", ref);
        return false;
    }

    /**
     * Sources whose partition came to this replica are announced again from it: the last
     * announcement was another replica's (naming its artifact url), or this one's from before they
     * left.
     */
    void onOwnershipChange(@Observes OwnershipChange change) {
        announced.keySet().removeIf(change::cameWith);
    }

    /** A deleted source: its artifact is announced again if one of its name comes back. */
    public void forget(ObjectRef ref) {
        announced.remove(ref);
    }

    private void write(
            HasMetadata source,
            List<Condition> conditions,
            Artifact artifact,
            boolean ready,
            String reason,
            String message,
            Map<String, Object> extra) {
        write(source, conditions, artifact, ready, reason, message, extra, false);
    }

    private void write(
            HasMetadata source,
            List<Condition> conditions,
            Artifact artifact,
            boolean ready,
            String reason,
            String message,
            Map<String, Object> extra,
            boolean stalled) {
        long generation = source.getMetadata().getGeneration();
        Map<String, Object> status = new HashMap<>(extra);
        status.put("observedGeneration", generation);
        List<Condition> written =
                Conditions.set(conditions, Conditions.READY, ready, reason, message, generation);
        status.put(
                "conditions",
                stalled
                        ? Conditions.set(
                                written, Conditions.STALLED, true, reason, message, generation)
                        : Conditions.remove(written, Conditions.STALLED));
        if (artifact != null) {
            status.put("artifact", artifact);
        }
        Map<String, String> annotations = source.getMetadata().getAnnotations();
        String requestedAt = annotations == null ? null : annotations.get(Annotations.REQUESTED_AT);
        if (requestedAt != null) {
            status.put("lastHandledReconcileAt", requestedAt);
        }
        StatusPatches.merge(
                client,
                source.getClass(),
                source.getMetadata().getNamespace(),
                source.getMetadata().getName(),
                status);
    }
}
