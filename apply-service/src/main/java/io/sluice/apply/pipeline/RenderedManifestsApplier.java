package io.sluice.apply.pipeline;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.apply.ApplyConfig;
import io.sluice.apply.dependency.DependencyGate;
import io.sluice.apply.drift.DesiredState;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.apply.owner.Owner;
import io.sluice.apply.owner.Impersonation;
import io.sluice.apply.owner.OwnerCache;
import io.sluice.apply.owner.OwnerView;
import io.sluice.apply.owner.Owners;
import io.sluice.apply.prune.InventoryPruner;
import io.sluice.apply.remediation.Remediation;
import io.sluice.apply.remediation.RemediationPolicy;
import io.sluice.apply.ssa.ApplyException;
import io.sluice.apply.ssa.StagedApplier;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ApplyResult;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.Manifests;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.events.Verdict;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.InventoryEntry;
import io.sluice.contracts.meta.AttemptLedger;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import io.smallrye.reactive.messaging.annotations.Blocking;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The story of applying one rendered attempt of a Kustomization or HelmRelease: skip a redelivery, pass a render
 * failure on untouched, hold it while a dependency is not ready (and apply it the moment the dependency turns Ready),
 * label the objects as their owner's, apply them in stages, prune what left Git, record the inventory, and report
 * the change set.
 */
@ApplicationScoped
public class RenderedManifestsApplier {
    private static final Logger LOG = Logger.getLogger(RenderedManifestsApplier.class);

    private final KubernetesClient client;
    private final MutinyEmitter<ApplyResult> appliedTopic;
    private final ObjectStates states;
    private final MeterRegistry metrics;
    private final AttemptLedger ledger = new AttemptLedger();
    private final StagedApplier stagedApplier;
    private final Impersonation impersonation;
    private final DependencyGate dependencies;
    private final DesiredState desired;
    private final OwnerCache owners;
    /** Rendered attempts held back by a dependency, and the reason last reported for each (reported once, not per check). */
    private final Map<ObjectRef, RenderResult> waiting = new ConcurrentHashMap<>();
    private final Map<ObjectRef, String> waitingReason = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "retries"));
    private final Remediation remediation = new Remediation();
    private final Map<ObjectRef, Attempt> latest = new ConcurrentHashMap<>();
    /** Each HelmRelease's last applied render, waiting for health-service's verdict on it. */
    private final Map<ObjectRef, RenderResult> applied = new ConcurrentHashMap<>();
    private static final Duration RETRY_DELAY = Duration.ofSeconds(5);

    public RenderedManifestsApplier(KubernetesClient client, @Channel(Topics.APPLIED) MutinyEmitter<ApplyResult> applied,
                                ObjectStates states, MeterRegistry metrics, ApplyConfig config, OwnerCache owners,
                                DesiredState desired, Impersonation impersonation) {
        this.desired = desired;
        this.owners = owners;
        this.client = client;
        this.metrics = metrics;
        this.appliedTopic = applied;
        this.states = states;
        this.stagedApplier = new StagedApplier(config.fieldManager());
        this.impersonation = impersonation;
        this.dependencies = new DependencyGate(owners::view);
        owners.onChange(this::retryDependentsOf);
    }

    @Incoming(Topics.RENDERED)
    @Blocking
    public void onRendered(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        if (!ledger.firstDelivery(attempt)) {
            LOG.debugf("%s: attempt already handled, skipped", attempt.object());
            return;
        }
        latest.put(attempt.object(), attempt);
        handle(rendered);
    }

    /** A change to any Kustomization or HelmRelease may free the attempts waiting on it: those are tried again now. */
    private void retryDependentsOf(OwnerView changed) {
        if (!changed.ready()) {
            return;
        }
        waiting.keySet().forEach(ref -> retries.execute(() -> {
            RenderResult still = waiting.get(ref);
            if (still != null) {
                handle(still);
            }
        }));
    }

    private synchronized void handle(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        MDC.put("object", attempt.object().key());
        MDC.put("revision", attempt.revision());
        Timer.Sample timer = Timer.start(metrics);
        try {
            if (rendered.failure() == null && holdForDependencies(rendered)) {
                return;
            }
            if (beingDeleted(attempt.object())) {
                LOG.infof("%s is being deleted: its rendered objects are not applied", attempt.object());
                return;
            }
            ApplyResult result = rendered.failure() != null
                    ? ApplyResult.failed(attempt, rendered.failure())
                    : apply(attempt, rendered.manifests());
            if (HelmRelease.KIND.equals(attempt.object().kind()) && rendered.failure() == null) {
                result = remediated(rendered, result);
            }
            if (result.failure() != null) {
                ledger.forget(attempt.object());
                states.failed(attempt.object(), attempt.revision(), result.failure().reason(), result.failure().message());
            } else {
                states.succeeded(attempt.object(), attempt.revision(), Reasons.RECONCILIATION_SUCCEEDED, summary(result.changes()));
            }
            appliedTopic.sendMessageAndAwait(Envelopes.of(attempt.object(), ApplyResult.TYPE, "apply-service", result));
        } finally {
            timer.stop(metrics.timer(Metrics.RECONCILE_DURATION, "kind", attempt.object().kind(), "stage", "apply"));
            MDC.remove("object");
            MDC.remove("revision");
        }
    }

    /**
     * A HelmRelease's apply that failed is remediated as its spec says (see {@link RemediationPolicy}): tried again in
     * a few seconds while retries remain, then rolled back to the last render that applied cleanly, or uninstalled.
     */
    private ApplyResult remediated(RenderResult rendered, ApplyResult result) {
        Attempt attempt = rendered.attempt();
        if (result.failure() == null) {
            applied.put(attempt.object(), rendered); // good once health-service says it is ready
            return result;
        }
        if (!Reasons.RECONCILIATION_FAILED.equals(result.failure().reason())) {
            return result;
        }
        return remediate(rendered, result.failure().message(), result);
    }

    /**
     * health-service's verdict on a HelmRelease: ready makes its render the last good one; a failed health check is
     * remediated like a failed apply (the retry applies the same render again, and health-service waits again).
     */
    @Incoming(Topics.VERDICTS)
    @Blocking
    public void onVerdict(Verdict verdict) {
        ObjectRef ref = verdict.attempt().object();
        RenderResult rendered = applied.get(ref);
        if (!HelmRelease.KIND.equals(ref.kind()) || rendered == null || !rendered.attempt().equals(verdict.attempt())) {
            return;
        }
        if (verdict.ready()) {
            remediation.succeeded(rendered);
        } else if (Reasons.HEALTH_CHECK_FAILED.equals(verdict.failure().reason())) {
            synchronized (this) {
                ApplyResult result = remediate(rendered, verdict.failure().message(), null);
                if (result != null) {
                    this.applied.remove(ref);
                    appliedTopic.sendMessageAndAwait(Envelopes.of(ref, ApplyResult.TYPE, "apply-service", result));
                }
            }
        }
    }

    /** The remediation decision for a failed attempt; {@code unchanged} when there is nothing to do. */
    private ApplyResult remediate(RenderResult rendered, String cause, ApplyResult unchanged) {
        Attempt attempt = rendered.attempt();
        HelmRelease release = client.resources(HelmRelease.class).inNamespace(attempt.object().namespace())
                .withName(attempt.object().name()).get();
        if (release == null) {
            return unchanged;
        }
        Remediation.Decision decision = remediation.failed(attempt, RemediationPolicy.of(release, remediation.installed(attempt.object())));
        if (decision instanceof Remediation.Retry retry) {
            retries.schedule(() -> {
                if (attempt.equals(latest.get(attempt.object()))) { // a newer render replaces the retry
                    handle(rendered);
                }
            }, RETRY_DELAY.toSeconds(), TimeUnit.SECONDS);
            return failed(attempt, cause + " (attempt " + retry.failures() + " of " + (retry.retries() + 1) + ", retrying)");
        }
        if (decision instanceof Remediation.RollBack back) {
            ApplyResult rolledBack = apply(back.lastGood().attempt(), back.lastGood().manifests());
            return failed(attempt, cause + "; " + (rolledBack.failure() == null
                    ? "rolled back to the last good render (" + back.lastGood().attempt().revision() + ", generation "
                    + back.lastGood().attempt().generation() + ")" : "rollback failed too: " + rolledBack.failure().message()));
        }
        if (decision instanceof Remediation.Uninstall) {
            uninstall(attempt.object(), rendered.manifests());
            return failed(attempt, cause + "; uninstalled");
        }
        return unchanged;
    }

    private void uninstall(ObjectRef ref, String manifests) {
        Owners.load(client, ref).ifPresent(owner -> {
            List<ObjectId> everything = new ArrayList<>(owner.previousInventory());
            StagedApplier.resources(Manifests.decode(manifests)).stream().map(ObjectId::of).forEach(everything::add);
            desired.forget(ref);
            new InventoryPruner(impersonation.clientFor(ref.namespace(), owner.serviceAccountName()))
                    .prune(owner.ownershipLabels(), everything, java.util.Set.of());
            owner.recordApplied(List.of(), null);
        });
        remediation.forget(ref);
    }

    private static ApplyResult failed(Attempt attempt, String message) {
        return ApplyResult.failed(attempt, new Failure(Reasons.RECONCILIATION_FAILED, message));
    }

    /** A deleted owner's objects belong to its finalizer now (prune or orphan): applying them would undo that. */
    private boolean beingDeleted(ObjectRef ref) {
        return owners.view(ref).map(OwnerView::deleting).orElse(false);
    }

    /** True when a dependency holds the attempt back; its reason is reported once per distinct reason. */
    private boolean holdForDependencies(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        ObjectRef ref = attempt.object();
        Optional<Failure> blocked = dependencies.blocked(ref, attempt.revision());
        if (blocked.isEmpty()) {
            waiting.remove(ref);
            waitingReason.remove(ref);
            return false;
        }
        waiting.put(ref, rendered);
        String reason = blocked.get().message();
        if (!reason.equals(waitingReason.put(ref, reason))) {
            LOG.infof("held: %s", reason);
            states.failed(ref, attempt.revision(), blocked.get().reason(), reason);
            appliedTopic.sendMessageAndAwait(Envelopes.of(ref, ApplyResult.TYPE, "apply-service", ApplyResult.failed(attempt, blocked.get())));
        }
        return true;
    }

    private ApplyResult apply(Attempt attempt, String manifests) {
        ObjectRef ref = attempt.object();
        Owner owner = Owners.load(client, ref).orElse(null);
        if (owner == null) {
            return ApplyResult.failed(attempt, new Failure(Reasons.RECONCILIATION_FAILED, ref + " no longer exists"));
        }
        if (owner.suspended()) {
            return ApplyResult.failed(attempt, new Failure(Reasons.SUSPENDED, "suspended: no changes applied"));
        }
        try {
            List<GenericKubernetesResource> objects = StagedApplier.resources(Manifests.decode(manifests));
            objects.forEach(o -> labelAsOwned(o, owner.ownershipLabels()));
            desired.beginApply(ref, attempt.revision(), objects);
            KubernetesClient as = impersonation.clientFor(ref.namespace(), owner.serviceAccountName());
            List<AppliedObject> changes = new ArrayList<>(stagedApplier.apply(as, objects, owner.force()));
            Map<String, InventoryEntry> inventory = new LinkedHashMap<>();
            objects.stream().map(ObjectId::of).sorted(Comparator.comparing(ObjectId::id))
                    .forEach(id -> inventory.put(id.id(), id.entry()));
            if (owner.prune()) {
                changes.addAll(new InventoryPruner(as).prune(owner.ownershipLabels(), owner.previousInventory(), inventory.keySet()));
            }
            owner.recordApplied(List.copyOf(inventory.values()), attempt.revision());
            LOG.infof("applied: %s", summary(changes));
            return ApplyResult.applied(attempt, changes);
        } catch (ApplyException e) {
            LOG.warnf("%s", e.getMessage());
            owner.recordAttempt(attempt.revision());
            return ApplyResult.failed(attempt, new Failure(Reasons.RECONCILIATION_FAILED, e.getMessage()));
        } catch (KubernetesClientException | IllegalArgumentException e) {
            LOG.warnf("apply failed: %s", e.getMessage());
            return ApplyResult.failed(attempt, new Failure(Reasons.RECONCILIATION_FAILED, e.getMessage()));
        } finally {
            desired.endApply(ref);
        }
    }

    private static void labelAsOwned(GenericKubernetesResource object, Map<String, String> ownershipLabels) {
        Map<String, String> labels = object.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(object.getMetadata().getLabels());
        labels.putAll(ownershipLabels);
        object.getMetadata().setLabels(labels);
    }

    private static String summary(List<AppliedObject> changes) {
        Map<AppliedObject.Action, Long> counts = changes.stream()
                .collect(Collectors.groupingBy(AppliedObject::action, () -> new java.util.EnumMap<>(AppliedObject.Action.class), Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "));
    }
}
