package io.sluice.apply.drift;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.apply.ApplyConfig;
import io.sluice.apply.ignore.IgnoredFields;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.apply.owner.Impersonation;
import io.sluice.apply.owner.OwnerCache;
import io.sluice.apply.owner.OwnerView;
import io.sluice.apply.ssa.ApplyException;
import io.sluice.apply.ssa.MetadataCleanup;
import io.sluice.apply.ssa.ObjectApplier;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.DriftCorrected;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.logging.ObjectLogContext;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.ServedKinds;
import io.sluice.contracts.ownership.Ownership;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Puts one drifted object back: when Git's version, applied as a dry run, differs from the live
 * object (or the object is gone), it is applied for real and the correction is reported with the
 * fields that had drifted and the field managers that changed them; as the owner's {@link
 * DriftPolicy} says (a HelmRelease's drift is only reported in warn mode, left alone when detection
 * is disabled, and its ignored paths are neither compared nor corrected). Left alone: objects of a
 * suspended owner, objects annotated {@code reconcile: disabled} or {@code ssa: Ignore}, existing
 * objects annotated {@code ssa: IfNotPresent}, and Helm hooks. Corrections are made as the service
 * account that applied the object.
 */
@ApplicationScoped
public class DriftCorrector {
    private static final Logger LOG = Logger.getLogger(DriftCorrector.class);
    private final Impersonation impersonation;
    private final DesiredState desired;
    private final OwnerCache owners;
    private final String fieldManager;
    private final MetadataCleanup cleanup;
    private final MutinyEmitter<DriftCorrected> drift;
    private final MeterRegistry metrics;
    private final ServedKinds kinds;
    private final Ownership ownership;

    /** What was last reported for each object in warn mode. */
    private final Map<String, String> warned = new ConcurrentHashMap<>();

    public DriftCorrector(
            Impersonation impersonation,
            DesiredState desired,
            OwnerCache owners,
            ApplyConfig config,
            @Channel(Topics.DRIFT) MutinyEmitter<DriftCorrected> drift,
            MeterRegistry metrics,
            ServedKinds kinds,
            Ownership ownership) {
        this.kinds = kinds;
        this.ownership = ownership;
        this.impersonation = impersonation;
        this.desired = desired;
        this.owners = owners;
        this.fieldManager = config.fieldManager();
        this.cleanup = MetadataCleanup.of(config);
        this.drift = drift;
        this.metrics = metrics;
    }

    public void check(String id) {
        Optional<DesiredState.Desired> wanted = desired.toCheck(id);
        if (wanted.isEmpty()) {
            return;
        }
        DesiredState.Desired d = wanted.get();
        GenericKubernetesResource object = d.object();
        Optional<OwnerView> owner = owners.view(d.owner());
        // a chart's hooks are one-shot: their delete policies and TTLs remove them, which is not
        // drift
        if (owner.isEmpty()
                || !ownership.owns(d.owner()) // another replica's: it corrects the drift
                || owner.get().suspended()
                || owner.get().drift().mode() == DriftPolicy.Mode.DISABLED
                || ObjectApplier.leftAlone(object)
                || ObjectApplier.annotation(object, Annotations.HELM_HOOK) != null) {
            return;
        }
        DriftPolicy policy = owner.get().drift();
        ObjectLogContext logged = ObjectLogContext.of(d.owner(), d.revision());
        try {
            // as the identity that applied it: drift correction never does what the owner's service
            // account may not
            KubernetesClient client =
                    impersonation.clientFor(d.owner().namespace(), d.serviceAccountName());
            ObjectApplier applier = new ObjectApplier(client, cleanup, kinds);
            GenericKubernetesResource live = client.resource(object).get();
            if (live != null) {
                desired.seenAt(object, live.getMetadata().getResourceVersion());
            }
            boolean warnOnly = policy.mode() == DriftPolicy.Mode.WARN;
            DriftCorrected correction;
            if (live == null) {
                correction = corrected(d, true, List.of(), List.of(), warnOnly);
            } else {
                if (live.getMetadata().getDeletionTimestamp() != null
                        || ObjectApplier.leftAlone(live)
                        || Annotations.SSA_IF_NOT_PRESENT.equals(
                                ObjectApplier.annotation(object, Annotations.SSA))) {
                    return; // being deleted: its deletion event comes next, and decides
                }
                if (TakenOver.from(d.owner(), live)) {
                    LOG.infof(
                            "%s is labelled as another owner's now: not corrected",
                            ObjectId.of(object).display());
                    return;
                }
                GenericKubernetesResource dryRun =
                        client.resource(object)
                                .dryRun()
                                .fieldManager(fieldManager)
                                .forceConflicts()
                                .serverSideApply();
                List<String> ignored = policy.ignoredPaths(dryRun);
                List<String> fields =
                        DriftDiff.paths(
                                IgnoredFields.without(ObjectApplier.comparable(live), ignored),
                                IgnoredFields.without(ObjectApplier.comparable(dryRun), ignored));
                if (fields.isEmpty()) {
                    warned.remove(id);
                    return;
                }
                correction = corrected(d, false, fields, changedBy(live), warnOnly);
            }
            if (warnOnly) {
                // reported once per distinct drift: every later event on the unchanged object would
                // repeat it
                if (!correction.describe().equals(warned.put(id, correction.describe()))) {
                    publish(correction);
                }
                return;
            }
            // planned as an apply is: ignored fields kept as the cleanup and their owners leave
            // them
            AppliedObject written = applier.execute(applier.plan(object, false, policy.ignore()));
            desired.seenAt(object, written.resourceVersion());
            publish(correction);
        } catch (ApplyException | KubernetesClientException | IllegalArgumentException e) {
            desired.correctionFailed(d.owner()); // its next apply is a full one
            LOG.warnf(
                    "could not correct drift of %s: %s",
                    ObjectId.of(object).display(), e.getMessage());
        } finally {
            logged.close(); // after the catch: its warning is about the owner too
        }
    }

    private void publish(DriftCorrected correction) {
        LOG.infof(
                "drift %s: %s",
                correction.warnOnly() ? "detected" : "corrected", correction.describe());
        metrics.counter(
                        correction.warnOnly()
                                ? "sluice.drift.detections"
                                : "sluice.drift.corrections",
                        "kind",
                        correction.object().kind())
                .increment();
        drift.sendMessageAndAwait(
                Envelopes.of(correction.owner(), DriftCorrected.TYPE, "apply-service", correction));
    }

    private static DriftCorrected corrected(
            DesiredState.Desired d,
            boolean recreated,
            List<String> fields,
            List<String> changedBy,
            boolean warnOnly) {
        ObjectId id = ObjectId.of(d.object());
        return new DriftCorrected(
                d.owner(),
                d.revision(),
                new AppliedObject(
                        id.apiVersion(),
                        id.kind(),
                        id.namespace(),
                        id.name(),
                        AppliedObject.Action.CONFIGURED,
                        null),
                recreated,
                fields,
                changedBy,
                Instant.now(),
                warnOnly);
    }

    /** The managers (other than Sluice and status writers) of the object's most recent write. */
    private List<String> changedBy(GenericKubernetesResource live) {
        List<ManagedFieldsEntry> writes =
                live.getMetadata().getManagedFields() == null
                        ? List.of()
                        : live.getMetadata().getManagedFields().stream()
                                .filter(
                                        e ->
                                                !fieldManager.equals(e.getManager())
                                                        && !"status".equals(e.getSubresource())
                                                        && e.getTime() != null)
                                .toList();
        String latest =
                writes.stream()
                        .map(ManagedFieldsEntry::getTime)
                        .max(Comparator.naturalOrder())
                        .orElse(null);
        return writes.stream()
                .filter(e -> Objects.equals(latest, e.getTime()))
                .map(ManagedFieldsEntry::getManager)
                .distinct()
                .toList();
    }
}
