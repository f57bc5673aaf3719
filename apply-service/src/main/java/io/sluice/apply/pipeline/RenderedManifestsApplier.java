package io.sluice.apply.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.apply.dependency.DependencyGate;
import io.sluice.apply.helm.HelmReleaseReconciler;
import io.sluice.apply.owner.Owner;
import io.sluice.apply.owner.OwnerCache;
import io.sluice.apply.owner.OwnerView;
import io.sluice.apply.owner.Owners;
import io.sluice.apply.ssa.ApplyException;
import io.sluice.apply.ssa.StagedApplier;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ApplyResult;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.BundleSeal;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.Manifests;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.events.TextRecords;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.events.Verdict;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.logging.ObjectLogContext;
import io.sluice.contracts.meta.AttemptLedger;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.trace.Stages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The intake of rendered attempts: skip a redelivery; run each owner's work in its own lane (many
 * owners at once, each one's in order); pass a render failure on untouched; hold an attempt while a
 * dependency is not ready (and apply it the moment the dependency turns Ready); apply a
 * Kustomization's objects, or reconcile a HelmRelease; report the result. A failed apply is tried
 * again at the owner's retry interval, and an unexpected error ends in the owner's status like any
 * other failure. A record is acknowledged once its work is done, however long that takes (the
 * consumer's unprocessed-record limit is off, see application.properties).
 */
@ApplicationScoped
public class RenderedManifestsApplier {
    private static final Logger LOG = Logger.getLogger(RenderedManifestsApplier.class);

    /** How often a Helm revision awaiting health-service's verdict is published again. */
    private static final Duration PENDING_RECHECK = Duration.ofSeconds(30);

    private static final Set<String> NOT_RETRIED =
            Set.of(
                    Reasons.SUSPENDED,
                    Reasons.DEPENDENCY_NOT_READY,
                    Reasons.DEPENDENCY_CYCLE,
                    Reasons.RETRIES_EXCEEDED,
                    Reasons.BUILD_FAILED,
                    Reasons.ARTIFACT_FAILED);

    private final KubernetesClient client;
    private final BundleSeal seal;
    private final MutinyEmitter<ApplyResult> appliedTopic;
    private final ObjectStates states;
    private final MeterRegistry metrics;
    private final AttemptLedger ledger = new AttemptLedger();
    private final RevisionOnlyChanges revisionOnly = new RevisionOnlyChanges();
    private final OwnerApply ownerApply;
    private final HelmReleaseReconciler helmReleases;
    private final DependencyGate dependencies;
    private final OwnerCache owners;
    private final OwnerLanes lanes;
    private final ObjectMapper json;
    private final Ownership ownership;

    /**
     * Rendered attempts held back by a dependency, and the reason last reported for each (reported
     * once, not per check).
     */
    private final Map<ObjectRef, RenderResult> waiting = new ConcurrentHashMap<>();

    /** The trace each held attempt began in: its apply, once freed, goes on in it. */
    private final Map<ObjectRef, Context> heldTraces = new ConcurrentHashMap<>();

    private final Map<ObjectRef, String> waitingReason = new ConcurrentHashMap<>();
    private final Map<ObjectRef, Attempt> latest = new ConcurrentHashMap<>();
    private final Tracer tracer;

    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "retries");
                        t.setDaemon(true);
                        return t;
                    });

    public RenderedManifestsApplier(
            KubernetesClient client,
            @Channel(Topics.APPLIED) MutinyEmitter<ApplyResult> applied,
            ObjectStates states,
            MeterRegistry metrics,
            OwnerCache owners,
            OwnerApply ownerApply,
            HelmReleaseReconciler helmReleases,
            OwnerLanes lanes,
            ObjectMapper json,
            BundleSeal seal,
            Tracer tracer,
            Ownership ownership) {
        this.tracer = tracer;
        this.ownership = ownership;
        this.lanes = lanes;
        this.seal = seal;
        this.json = json;
        this.client = client;
        this.appliedTopic = applied;
        this.states = states;
        this.metrics = metrics;
        this.owners = owners;
        this.ownerApply = ownerApply;
        this.helmReleases = helmReleases;
        this.dependencies = new DependencyGate(owners::view);
        owners.onChange(this::retryDependentsOf);
    }

    /**
     * Read as text and parsed here, so that a record that is no render is this method's to handle
     * (see {@link #unreadable}).
     */
    @Incoming(Topics.RENDERED)
    public CompletionStage<Void> onRendered(Message<String> message) {
        RenderResult rendered = TextRecords.parse(json, message.getPayload(), RenderResult.class);
        if (rendered == null || rendered.attempt() == null || rendered.attempt().object() == null) {
            unreadable(message);
            return message.ack();
        }
        Attempt attempt = rendered.attempt();
        if (!ledger.firstDelivery(attempt)) {
            LOG.debugf("%s: attempt already handled, skipped", attempt.object());
            return message.ack();
        }
        latest.put(attempt.object(), attempt);
        // acknowledged only when done: a record whose work was cut short by a shutdown is delivered
        // again after it
        submit(rendered, Stages.of(message))
                .whenComplete((done, error) -> acknowledge(message, error));
        return CompletableFuture.completedFuture(null);
    }

    /**
     * An owner's last render from before this replica took its partition (read again from the
     * topic, see {@code takeover.Takeover}): applied like a delivered one, so that its objects are
     * known and kept as applied at once, unless a live record for the owner came first.
     */
    public void replay(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        if (!ownership.owns(attempt.object())
                || latest.containsKey(attempt.object())
                || !ledger.firstDelivery(attempt)
                || latest.putIfAbsent(attempt.object(), attempt) != null) {
            return;
        }
        LOG.infof(
                "%s: its last render, at %s, applied again as its new owner",
                attempt.object(), attempt.revision());
        submit(rendered, Context.root());
    }

    /** What this replica knows of an owner it no longer owns is dropped: another one has it now. */
    public void forget(ObjectRef ref) {
        latest.remove(ref);
        waiting.remove(ref);
        waitingReason.remove(ref);
        heldTraces.remove(ref);
        ledger.forget(ref);
        revisionOnly.forget(ref);
        states.forget(ref);
    }

    /** The owners this replica holds something about. */
    public Set<ObjectRef> known() {
        Set<ObjectRef> known = new HashSet<>(latest.keySet());
        known.addAll(waiting.keySet());
        return known;
    }

    private CompletableFuture<Void> submit(RenderResult rendered, Context trace) {
        Attempt attempt = rendered.attempt();
        return lanes.submit(
                attempt.object(),
                () ->
                        Stages.run(
                                tracer,
                                Stages.APPLY,
                                attempt.object(),
                                trace,
                                () -> {
                                    Stages.revision(attempt.revision());
                                    handle(rendered);
                                }));
    }

    /**
     * health-service's verdict, for HelmReleases: a pending revision becomes deployed, or fails and
     * is remediated. In the release's lane, so it never runs beside the release's own apply.
     */
    @Incoming(Topics.VERDICTS)
    public CompletionStage<Void> onVerdict(Message<Verdict> message) {
        // until the replica's first assignment it owns nothing, though the verdict may be its own
        return ownership.firstAssignment().thenCompose(assigned -> actOn(message));
    }

    private CompletionStage<Void> actOn(Message<Verdict> message) {
        Verdict verdict = message.getPayload();
        if (verdict == null || verdict.attempt() == null || verdict.attempt().object() == null) {
            LOG.errorf("an unreadable record on %s was skipped", Topics.VERDICTS);
            return message.ack();
        }
        ObjectRef ref = verdict.attempt().object();
        // every replica reads every verdict (see application.properties); the owner's acts on it
        if (!HelmRelease.KIND.equals(ref.kind()) || !ownership.owns(ref)) {
            return message.ack();
        }
        lanes.submit(ref, () -> guarded(verdict.attempt(), () -> decide(verdict)))
                .whenComplete((done, error) -> acknowledge(message, error));
        return CompletableFuture.completedFuture(null);
    }

    /** A release's verdict, in its lane: acted on unless the release moved on meanwhile. */
    private void decide(Verdict verdict) {
        ObjectRef ref = verdict.attempt().object();
        if (!ownership.owns(ref)) {
            return;
        }
        helmReleases
                .onVerdict(verdict)
                .ifPresent(
                        result -> {
                            publish(result);
                            helmReleases
                                    .lastRender(ref)
                                    .ifPresent(rendered -> followUp(rendered, result));
                        });
    }

    private void acknowledge(Message<?> message, Throwable error) {
        if (error == null && !lanes.cutShort()) {
            message.ack();
        }
    }

    /**
     * A record that could not be read (not JSON, not a render): skipped, so the consumer goes on,
     * and reported to the object its key names (status and alert), if it names one; the next render
     * of that object replaces it.
     */
    private void unreadable(Message<String> message) {
        Object key = TextRecords.key(message);
        LOG.errorf("an unreadable record on %s (key %s) was skipped", Topics.RENDERED, key);
        ObjectRef.fromKey(key)
                .ifPresent(
                        ref ->
                                lanes.submit(
                                        ref,
                                        () ->
                                                publish(
                                                        ApplyResult.failed(
                                                                new Attempt(
                                                                        ref,
                                                                        owners.view(ref)
                                                                                .map(
                                                                                        OwnerView
                                                                                                ::generation)
                                                                                .orElse(0L),
                                                                        "",
                                                                        null),
                                                                new Failure(
                                                                        Reasons
                                                                                .RECONCILIATION_FAILED,
                                                                        "a rendered record for "
                                                                                + ref
                                                                                + " on "
                                                                                + Topics.RENDERED
                                                                                + " could not be read and was skipped; the next render replaces it")))));
    }

    void stop(@Observes ShutdownEvent event) {
        retries.shutdownNow();
    }

    /**
     * A change to any Kustomization or HelmRelease may free the attempts waiting on it: those are
     * tried again now.
     */
    private void retryDependentsOf(OwnerView changed) {
        if (!changed.ready()) {
            return;
        }
        waiting.forEach(
                (ref, held) ->
                        lanes.submit(
                                ref,
                                () -> {
                                    if (waiting.get(ref) != held) {
                                        return;
                                    }
                                    if (dependencies
                                            .blocked(ref, held.attempt().revision())
                                            .isPresent()) {
                                        handle(held); // still held: no span, the trace stays short
                                        return;
                                    }
                                    Stages.run(
                                            tracer,
                                            Stages.APPLY,
                                            ref,
                                            heldTraces.getOrDefault(ref, Context.root()),
                                            () -> {
                                                Stages.revision(held.attempt().revision());
                                                handle(held);
                                            });
                                }));
    }

    private void handle(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        if (!ownership.owns(attempt.object())) {
            // its partition moved on while it waited: the new owner reads it again
            LOG.debugf("%s: no longer this replica's, not applied", attempt.object());
            return;
        }
        Timer.Sample timer = Timer.start(metrics);
        try {
            guarded(
                    attempt,
                    () -> {
                        if (rendered.failure() == null && holdForDependencies(rendered)) {
                            return;
                        }
                        if (beingDeleted(attempt.object())) {
                            LOG.infof(
                                    "%s is being deleted: its rendered objects are not applied",
                                    attempt.object());
                            return;
                        }
                        Optional<ApplyResult> result;
                        if (rendered.failure() != null) {
                            result = Optional.of(ApplyResult.failed(attempt, rendered.failure()));
                        } else if (HelmRelease.KIND.equals(attempt.object().kind())) {
                            result = helmReleases.reconcile(rendered);
                        } else {
                            result = Optional.of(applyKustomization(attempt, rendered.manifests()));
                        }
                        result.ifPresent(
                                r -> {
                                    publish(r);
                                    followUp(rendered, r);
                                });
                    });
        } finally {
            timer.stop(
                    metrics.timer(
                            Metrics.RECONCILE_DURATION,
                            "kind",
                            attempt.object().kind(),
                            "stage",
                            "apply"));
        }
    }

    /**
     * Runs one step for an owner with its object and revision in the logs; an unexpected error is
     * reported like a failure.
     */
    private void guarded(Attempt attempt, Runnable step) {
        ObjectLogContext logged = ObjectLogContext.of(attempt.object(), attempt.revision());
        try {
            step.run();
        } catch (RuntimeException e) {
            if (lanes.cutShort()) {
                return; // cut short by the shutdown or the owner's leaving: done again after the
                // restart or by the new owner, not a failure of the owner's
            }
            LOG.errorf(e, "apply of %s failed unexpectedly", attempt.object());
            ApplyResult failed =
                    ApplyResult.failed(
                            attempt,
                            new Failure(
                                    Reasons.RECONCILIATION_FAILED,
                                    "apply-service failed unexpectedly: " + e));
            publish(failed);
        } finally {
            logged.close(); // after the catch: its error is the owner's
        }
    }

    /**
     * What follows a result: a failed apply is tried again after the owner's retry interval; a Helm
     * revision that awaits its verdict is looked at again shortly, so that it is published again
     * while pending (health-service drops what it is judging already, and judges afresh a wait a
     * restart lost). Neither when a newer render came in the meantime.
     */
    private void followUp(RenderResult rendered, ApplyResult result) {
        Attempt attempt = rendered.attempt();
        if (result.pendingRelease() != null) {
            again(rendered, PENDING_RECHECK);
            return;
        }
        if (result.failure() == null || NOT_RETRIED.contains(result.failure().reason())) {
            return;
        }
        Duration delay =
                Owners.load(client, attempt.object()).map(Owner::retryInterval).orElse(null);
        if (delay == null) {
            return;
        }
        LOG.infof("%s: trying again in %s", attempt.object(), delay);
        again(rendered, delay);
    }

    private void again(RenderResult rendered, Duration delay) {
        Attempt attempt = rendered.attempt();
        retries.schedule(
                () ->
                        lanes.submit(
                                attempt.object(),
                                () -> {
                                    if (attempt.equals(latest.get(attempt.object()))) {
                                        handle(rendered);
                                    }
                                }),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void publish(ApplyResult result) {
        if (lanes.cutShort()) {
            return; // work cut short is done again after the restart or by the owner's new
            // replica: nothing to report now
        }
        Attempt attempt = result.attempt();
        if (result.failure() != null) {
            if (!Reasons.DEPENDENCY_NOT_READY.equals(result.failure().reason())) {
                Stages.failed(
                        result.failure().reason(),
                        result.failure().message()); // a wait is no failure
            }
            ledger.forget(attempt.object());
            revisionOnly.forget(attempt.object());
            states.failed(
                    attempt.object(),
                    attempt.revision(),
                    result.failure().reason(),
                    result.failure().message());
        } else {
            states.succeeded(
                    attempt.object(),
                    attempt.revision(),
                    Reasons.RECONCILIATION_SUCCEEDED,
                    summary(result.changes()));
        }
        appliedTopic.sendMessageAndAwait(
                Envelopes.of(attempt.object(), ApplyResult.TYPE, "apply-service", result));
    }

    /**
     * A deleted owner's objects belong to its finalizer now (prune or orphan): applying them would
     * undo that.
     */
    private boolean beingDeleted(ObjectRef ref) {
        return owners.view(ref).map(OwnerView::deleting).orElse(false);
    }

    /**
     * True when a dependency holds the attempt back; its reason is reported once per distinct
     * reason.
     */
    private boolean holdForDependencies(RenderResult rendered) {
        Attempt attempt = rendered.attempt();
        ObjectRef ref = attempt.object();
        Optional<Failure> blocked = dependencies.blocked(ref, attempt.revision());
        if (blocked.isEmpty()) {
            waiting.remove(ref);
            waitingReason.remove(ref);
            heldTraces.remove(ref);
            return false;
        }
        if (waiting.put(ref, rendered) != rendered) {
            heldTraces.put(ref, Context.current());
        }
        String reason = blocked.get().message();
        if (!reason.equals(waitingReason.put(ref, reason))) {
            LOG.infof("held: %s", reason);
            publish(ApplyResult.failed(attempt, blocked.get()));
        }
        return true;
    }

    private ApplyResult applyKustomization(Attempt attempt, String manifests) {
        ObjectRef ref = attempt.object();
        Owner owner = Owners.load(client, ref).orElse(null);
        if (owner == null) {
            return ApplyResult.failed(
                    attempt, new Failure(Reasons.RECONCILIATION_FAILED, ref + " no longer exists"));
        }
        if (owner.suspended()) {
            return ApplyResult.failed(
                    attempt, new Failure(Reasons.SUSPENDED, "suspended: no changes applied"));
        }
        try {
            List<GenericKubernetesResource> objects =
                    StagedApplier.resources(Manifests.decode(manifests, seal));
            if (revisionOnly.revisionOnly(attempt, owner.interval())) {
                Optional<List<AppliedObject>> unchanged =
                        ownerApply.recordUnchanged(ref, attempt.revision(), owner, objects);
                if (unchanged.isPresent()) {
                    LOG.infof("unchanged: %d objects as applied, nothing written", objects.size());
                    return ApplyResult.applied(attempt, unchanged.get());
                }
            }
            List<AppliedObject> changes =
                    ownerApply.apply(
                            ref,
                            attempt.revision(),
                            owner,
                            objects,
                            OwnerApply.Step.NONE,
                            OwnerApply.Step.NONE);
            revisionOnly.fullyApplied(attempt);
            LOG.infof("applied: %s", summary(changes));
            return ApplyResult.applied(attempt, changes);
        } catch (ApplyException e) {
            LOG.warnf("%s", e.getMessage());
            return ApplyResult.failed(
                    attempt, new Failure(Reasons.RECONCILIATION_FAILED, e.getMessage()));
        }
    }

    private static String summary(List<AppliedObject> changes) {
        Map<AppliedObject.Action, Long> counts =
                changes.stream()
                        .collect(
                                Collectors.groupingBy(
                                        AppliedObject::action,
                                        () -> new EnumMap<>(AppliedObject.Action.class),
                                        Collectors.counting()));
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "));
    }
}
