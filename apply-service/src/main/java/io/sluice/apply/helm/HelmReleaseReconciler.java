package io.sluice.apply.helm;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.apply.ApplyConfig;
import io.sluice.apply.drift.DriftPolicy;
import io.sluice.apply.ignore.IgnoreRules;
import io.sluice.apply.inventory.ObjectId;
import io.sluice.apply.owner.Owner;
import io.sluice.apply.owner.Owners;
import io.sluice.apply.pipeline.OwnerApply;
import io.sluice.apply.pipeline.OwnerLanes;
import io.sluice.apply.ssa.ApplyException;
import io.sluice.apply.ssa.StagedApplier;
import io.sluice.contracts.cluster.TargetClusters;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ApplyResult;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.BundleSeal;
import io.sluice.contracts.events.ChartRelease;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.Manifests;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.PendingRelease;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.events.Verdict;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.helm.HelmValues;
import io.sluice.contracts.helm.ReleaseNaming;
import io.sluice.contracts.helm.Snapshot;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.meta.ServedKinds;
import io.sluice.contracts.meta.StatusPatches;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The story of one HelmRelease, as helm-controller tells it, with Helm's own storage as the record:
 * the latest stored revision says what to do. None (or uninstalled): install. Pending: still
 * waiting for its health verdict when it is this attempt's and recent, else stale and marked
 * failed. Failed: remediate as the spec says (uninstall after a failed install, roll back or
 * uninstall after a failed upgrade) while retries remain, or when {@code remediateLastFailure} asks
 * for it; otherwise stop there, the failed revision left in place. Deployed: nothing to do when
 * this render is the one deployed (its objects are applied again, which writes nothing unless they
 * drifted), else upgrade. A revision stays pending until health-service's verdict marks it deployed
 * or failed. Because the record is in the cluster, a restart changes nothing: a release once
 * installed is upgraded, never installed or uninstalled as if it were new.
 */
@ApplicationScoped
public class HelmReleaseReconciler {
    private static final Logger LOG = Logger.getLogger(HelmReleaseReconciler.class);

    /**
     * How long past its timeout a pending revision of this very attempt is still awaited before it
     * counts as stale.
     */
    private static final Duration PENDING_GRACE = Duration.ofMinutes(2);

    private static final int MAX_STEPS = 6;

    private final KubernetesClient client;
    private final OwnerApply ownerApply;
    private final HookRunner hooks;
    private final ReleaseTester tester;
    private final OwnerLanes lanes;
    private final BundleSeal seal;
    private final ServedKinds kinds;

    /**
     * Each release's last render: what a retry after a failed health check applies again (a new
     * render brings it back after a restart).
     */
    private final Map<ObjectRef, RenderResult> renders = new ConcurrentHashMap<>();

    public HelmReleaseReconciler(
            KubernetesClient client,
            OwnerApply ownerApply,
            ApplyConfig config,
            OwnerLanes lanes,
            BundleSeal seal,
            ServedKinds kinds) {
        this.client = client;
        this.kinds = kinds;
        this.seal = seal;
        this.lanes = lanes;
        this.ownerApply = ownerApply;
        this.hooks = new HookRunner(config.fieldManager());
        this.tester = new ReleaseTester(hooks);
    }

    /** Reconciles a rendered attempt; empty when there is nothing to report. */
    public Optional<ApplyResult> reconcile(RenderResult render) {
        Attempt attempt = render.attempt();
        Optional<Run> run = Run.start(this, attempt, render);
        if (run.isEmpty()) {
            return Optional.of(
                    ApplyResult.failed(
                            attempt,
                            new Failure(
                                    Reasons.RECONCILIATION_FAILED,
                                    attempt.object() + " no longer exists")));
        }
        if (run.get().owner.suspended()) {
            return Optional.of(
                    ApplyResult.failed(
                            attempt,
                            new Failure(Reasons.SUSPENDED, "suspended: no changes applied")));
        }
        if (run.get().remote()) {
            // never installed here in the other cluster's stead
            return Optional.of(
                    ApplyResult.failed(
                            attempt,
                            new Failure(
                                    Reasons.RECONCILIATION_FAILED,
                                    "spec.kubeConfig is not supported for a HelmRelease yet:"
                                            + " nothing is installed")));
        }
        renders.put(attempt.object(), render);
        run.get().forgetTestsWhenOff();
        // the counts of a new attempt are written with its first release action (with Ready
        // Unknown, in one patch) or once it is found in sync, never before
        run.get().counts = FailureCounts.of(run.get().release, attempt, render.release());
        AnnotationRequests requests =
                AnnotationRequests.of(run.get().release, attempt.requestedAt());
        if (requests.reset()) {
            run.get().counts = run.get().counts.reset();
            // the reset is written before it is recorded as handled: a restart between the two
            // resets again
            AnnotationRequests.writeReset(client, run.get().release);
        }
        run.get().forceRequested = requests.force();
        Optional<ApplyResult> result = loopAndRecord(run.get());
        if (!lanes.cutShort()) {
            // recorded only once the run did its work: a run cut short is done again after the
            // restart or by the release's new replica, and honours the request then
            AnnotationRequests.recordHandled(client, run.get().release);
        }
        return result;
    }

    /**
     * Runs the release's steps, then records its stored revisions in {@code status.history}, as
     * helm-controller does.
     */
    private static Optional<ApplyResult> loopAndRecord(Run run) {
        try {
            return run.loop();
        } finally {
            run.saveHistory();
        }
    }

    /**
     * health-service's verdict on a pending revision: ready makes it the deployed one (the one
     * before it superseded); a failed health check fails it and remediation follows, as after a
     * failed apply.
     */
    public Optional<ApplyResult> onVerdict(Verdict verdict) {
        Attempt attempt = verdict.attempt();
        if (!verdict.ready() && !Reasons.HEALTH_CHECK_FAILED.equals(verdict.failure().reason())) {
            // a verdict on a failure reported before any revision was judged (a failed render,
            // say): nothing to do, and
            // nothing read, so a failure to read never becomes a new failure, verdict, and failure
            // again
            return Optional.empty();
        }
        RenderResult render = renders.get(attempt.object());
        boolean sameAttempt =
                render != null && attemptKey(render.attempt()).equals(attemptKey(attempt));
        Optional<Run> started = Run.start(this, attempt, sameAttempt ? render : null);
        if (started.isEmpty()) {
            return Optional.empty();
        }
        Run run = started.get();
        if (run.remote()) {
            return Optional.empty(); // its releases are never made here (see reconcile)
        }
        Optional<ReleaseStorage.Stored> latest = run.latest();
        if (latest.isEmpty()
                || !latest.get().attempt().equals(attemptKey(attempt))
                || (verdict.release() != null
                        && !verdict.release().equals(latest.get().record().display()))) {
            // a verdict on another attempt, or on an earlier revision of this one
            return Optional.empty();
        }
        if (verdict.ready() && ReleaseRecord.DEPLOYED.equals(latest.get().record().status())) {
            // released already (a verdict delivered again after a stop that came between
            // recording it deployed and reporting it): reported again, which changes nothing
            if (attempt.generation() < run.release.getMetadata().getGeneration()) {
                // unless the spec changed since: the newer generation's reconcile reports (a
                // rollback revision carries the attempt it copies, so an old verdict delivered
                // again could pass for current and report an old success over a new failure)
                return Optional.empty();
            }
            return Optional.of(ApplyResult.applied(attempt, List.of()));
        }
        if (!pending(latest.get().record())) {
            return Optional.empty();
        }
        // this run judged a release: under RetryOnFailure the next try waits for the interval
        run.released = true;
        run.counts = FailureCounts.stored(run.release);
        ReleaseRecord record = latest.get().record();
        boolean install = ReleaseRecord.PENDING_INSTALL.equals(record.status());
        if (verdict.ready()) {
            // as Helm: the post-install/post-upgrade hooks run once the release's objects are ready
            Optional<String> hookFailure =
                    run.postHooks(record, install ? Hook.POST_INSTALL : Hook.POST_UPGRADE);
            if (hookFailure.isEmpty()) {
                run.deployed(latest.get(), install ? "Install complete" : "Upgrade complete");
                run.saveHistory();
                run.conditions.set(
                        Conditions.RELEASED,
                        true,
                        install ? Reasons.INSTALL_SUCCEEDED : Reasons.UPGRADE_SUCCEEDED,
                        succeeded(install ? ReleasePolicy.INSTALL : ReleasePolicy.UPGRADE, record));
                LOG.infof("%s deployed", record.display());
                if (run.tests.enabled()) {
                    // as helm-controller marks a release made while tests are on
                    run.conditions.set(
                            Conditions.TEST_SUCCESS,
                            Conditions.UNKNOWN,
                            "AwaitingTests",
                            "Helm release "
                                    + record.display()
                                    + " with chart "
                                    + record.chart()
                                    + " is awaiting tests");
                    // as helm-controller: a release just made is tested before anything else
                    try {
                        return run.test(run.latest().orElseThrow());
                    } catch (ApplyException | RuntimeException e) {
                        if (run.reconciler.lanes.cutShort()) {
                            throw new CutShort();
                        }
                        // a test run or the remediation after it that failed itself
                        run.messages.add(e.getMessage());
                        return Optional.of(run.failed(Reasons.RECONCILIATION_FAILED));
                    } finally {
                        run.saveHistory();
                    }
                }
                // released now: this result, not the readiness before it, makes the release Ready
                return Optional.of(ApplyResult.applied(attempt, List.of()));
            }
            run.releaseFailed(
                    latest.get(),
                    install ? ReleasePolicy.INSTALL : ReleasePolicy.UPGRADE,
                    hookFailure.get());
            return loopAndRecord(run);
        }
        String action =
                ReleaseRecord.PENDING_INSTALL.equals(record.status())
                        ? ReleasePolicy.INSTALL
                        : ReleasePolicy.UPGRADE;
        run.releaseFailed(latest.get(), action, verdict.failure().message());
        return loopAndRecord(run);
    }

    /** The release's last render, what a failed attempt is tried again with. */
    public Optional<RenderResult> lastRender(ObjectRef release) {
        return Optional.ofNullable(renders.get(release));
    }

    /**
     * The HelmRelease is being deleted: uninstalled as Helm does it (delete hooks around the
     * deletion, history removed), unless it is suspended (then, as in Flux, everything is left in
     * place). False when the uninstall failed: the finalizer stays and it is tried again.
     */
    public boolean uninstall(ObjectRef ref) {
        Optional<Run> run = Run.start(this, new Attempt(ref, 0, "", null), null);
        if (run.isPresent() && run.get().remote()) {
            // nothing of it was made here, and this cluster's release of its name is not its own
            LOG.warnf("%s: targets another cluster (spec.kubeConfig): nothing uninstalled", ref);
        } else if (run.isPresent() && !run.get().owner.suspended()) {
            try {
                run.get().uninstall(false);
            } catch (ApplyException | RuntimeException e) {
                LOG.warnf("%s: uninstall failed, tried again shortly: %s", ref, e.getMessage());
                return false;
            }
        }
        renders.remove(ref);
        return true;
    }

    /** The release is another replica's now: its last render is that one's to keep. */
    public void forget(ObjectRef ref) {
        renders.remove(ref);
    }

    /** The releases this replica keeps a render of. */
    public Set<ObjectRef> known() {
        return Set.copyOf(renders.keySet());
    }

    /** helm-controller's message for a release made: Released's, and so Ready's. */
    static String succeeded(String action, ReleaseRecord record) {
        return "Helm "
                + action
                + " succeeded for release "
                + record.display()
                + " with chart "
                + record.chart();
    }

    static String attemptKey(Attempt attempt) {
        return attempt.generation()
                + "/"
                + attempt.revision()
                + "/"
                + (attempt.requestedAt() == null ? "" : attempt.requestedAt());
    }

    /**
     * What makes two renders the same release for helm-controller: the chart revision and the
     * values (the post-renderers and common metadata are compared on their own: {@link
     * ReleaseStorage#POST_RENDER_DIGEST}).
     */
    static String renderDigest(String revision, ChartRelease target) {
        return renderDigest(target.chartName(), revision, target.configDigest());
    }

    /**
     * Whether {@code latest} released {@code target}: Sluice's own revision by the digest of the
     * chart revision it rendered; a revision helm-controller wrote by chart name, version and
     * values, as helm-controller compares them (their chart version is not the artifact's revision
     * for a chart from a GitRepository or an OCIRepository), and only if it is the newest in the
     * HelmRelease's history: one the history has not seen (a {@code helm upgrade} by hand) is
     * upgraded, as helm-controller upgrades a release it does not know.
     */
    static boolean released(
            ReleaseStorage.Stored latest,
            Attempt attempt,
            ChartRelease target,
            HelmRelease release) {
        if (latest.renderDigest().equals(renderDigest(attempt.revision(), target))) {
            return true;
        }
        return latest.attempt().isEmpty()
                && newestInHistory(latest.record(), release)
                && latest.renderDigest()
                        .equals(
                                renderDigest(
                                        target.chartName(),
                                        target.chartVersion(),
                                        target.configDigest()));
    }

    private static boolean newestInHistory(ReleaseRecord record, HelmRelease release) {
        List<Snapshot> history = release.getStatus() == null ? null : release.getStatus().history;
        return history != null
                && history.stream()
                        .filter(s -> s.version != null)
                        .max(Comparator.comparing(s -> s.version))
                        .filter(
                                s ->
                                        s.version == record.version()
                                                && record.chartVersion().equals(s.chartVersion))
                        .isPresent();
    }

    static String renderDigest(String chartName, String revision, String configDigest) {
        try {
            byte[] text =
                    (chartName + "|" + revision + "|" + configDigest)
                            .getBytes(StandardCharsets.UTF_8);
            return "sha256:"
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Work cut short by the shutdown: nothing recorded, nothing reported; the restart does it
     * again.
     */
    private static final class CutShort extends RuntimeException {
        CutShort() {
            super(null, null, false, false);
        }
    }

    private static boolean pending(ReleaseRecord record) {
        return record.status().startsWith("pending-");
    }

    /**
     * One reconcile of one release: what it read, and the messages it gathers on the way to its
     * result.
     */
    private static final class Run {
        private final HelmReleaseReconciler reconciler;
        private final Attempt attempt;
        private final RenderResult render;
        private final HelmRelease release;
        private final Owner owner;
        private final ReleasePolicy policy;
        private final ReleaseTests tests;
        private final String storageNamespace;
        private final String releaseName;
        private final ReleaseStorage storage;
        private final List<String> messages = new ArrayList<>();
        private final ReleaseConditions conditions;
        private FailureCounts counts;
        private String reason;

        /**
         * Whether this run made a release (install or upgrade) or heard a verdict on one: under
         * RetryOnFailure a failure then waits for the retry interval before the next try.
         */
        private boolean released;

        /** Tests run at most once per reconcile, as helm-controller runs each action once. */
        private boolean testedThisRun;

        /**
         * {@code flux reconcile hr --force}: the first step of this run installs or upgrades
         * whatever the state (in sync, retries spent, failed), as helm-controller's does.
         */
        private boolean forceRequested;

        private Run(
                HelmReleaseReconciler reconciler,
                Attempt attempt,
                RenderResult render,
                HelmRelease release,
                Owner owner) {
            this.reconciler = reconciler;
            this.attempt = attempt;
            this.render = render;
            this.release = release;
            this.owner = owner;
            this.policy = ReleasePolicy.of(release);
            this.tests = ReleaseTests.of(release, policy.timeout());
            this.conditions =
                    new ReleaseConditions(
                            reconciler.client,
                            attempt.object(),
                            release.getMetadata().getGeneration());
            String storage = release.getSpec().storageNamespace;
            this.storageNamespace =
                    storage == null || storage.isEmpty() ? attempt.object().namespace() : storage;
            this.releaseName =
                    render != null && render.release() != null
                            ? render.release().name()
                            : ReleaseNaming.releaseName(
                                    attempt.object().name(),
                                    release.getSpec().targetNamespace,
                                    release.getSpec().releaseName);
            // Helm's storage is read and written as the owner's service account, as helm-controller
            // does
            this.storage =
                    new ReleaseStorage(
                            reconciler.ownerApply.localClientFor(attempt.object(), owner));
        }

        static Optional<Run> start(
                HelmReleaseReconciler reconciler, Attempt attempt, RenderResult render) {
            ObjectRef ref = attempt.object();
            HelmRelease release =
                    reconciler
                            .client
                            .resources(HelmRelease.class)
                            .inNamespace(ref.namespace())
                            .withName(ref.name())
                            .get();
            Optional<Owner> owner = Owners.load(reconciler.client, ref);
            if (release == null || owner.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Run(reconciler, attempt, render, release, owner.get()));
        }

        Optional<ReleaseStorage.Stored> latest() {
            return storage.latest(storageNamespace, releaseName);
        }

        /**
         * helm-controller's loop: act on the stored state until a release is made, a wait begins,
         * or it must stop.
         */
        Optional<ApplyResult> loop() {
            for (int step = 0; step < MAX_STEPS; step++) {
                boolean force = forceRequested;
                forceRequested = false;
                try {
                    Optional<ReleaseStorage.Stored> latest = latest();
                    String status =
                            latest.map(s -> s.record().status()).orElse(ReleaseRecord.UNINSTALLED);
                    if (ReleaseRecord.UNINSTALLED.equals(status)) {
                        if (!force && policy.exhausted(ReleasePolicy.INSTALL, counts.install())) {
                            return Optional.of(stalled(ReleasePolicy.INSTALL));
                        }
                        Optional<ApplyResult> made = release(ReleasePolicy.INSTALL, latest);
                        if (made.isPresent()) {
                            return made;
                        }
                    } else if (pending(latest.get().record())) {
                        ReleaseStorage.Stored waiting = latest.get();
                        if (!force && requestedAgain(waiting)) {
                            // flux reconcile during the wait: the same change, asked for again;
                            // the wait goes on, its verdict now this attempt's (a forced one
                            // unlocks it and upgrades, as it upgrades whatever the state)
                            waiting =
                                    storage.restamp(storageNamespace, waiting, attemptKey(attempt));
                        }
                        if (awaitingVerdict(waiting)) {
                            // published again: health-service drops what it is judging already,
                            // and judges it afresh after a restart that lost its wait
                            return reapply(waiting);
                        }
                        unlock(waiting, whyNotAwaited(waiting));
                        // a forced request upgrades next, from the revision just unlocked
                        forceRequested = force;
                    } else if (force && render != null && render.release() != null) {
                        // forced: an upgrade, in sync or not, failed or not
                        Optional<ApplyResult> made = release(ReleasePolicy.UPGRADE, latest);
                        if (made.isPresent()) {
                            return made;
                        }
                    } else if (ReleaseRecord.FAILED.equals(status)) {
                        Optional<ApplyResult> done = remediate(latest.get());
                        if (done.isPresent()) {
                            return done;
                        }
                    } else if (render != null
                            && render.release() != null
                            && released(latest.get(), attempt, render.release(), release)
                            && postRendersAsDeployed(latest.get())) {
                        if (tests.enabled()) {
                            ReleaseStorage.Stored deployed = withRenderedTests(latest.get());
                            if (!testedThisRun
                                    && (!tests.tested(deployed.record())
                                            || testCondition().isEmpty())) {
                                return test(deployed);
                            }
                            if (tests.failed(deployed.record())) {
                                // as helm-controller: a release whose test failed is a failed
                                // release, remediated unless its test failures are ignored
                                messages.add(
                                        testCondition()
                                                .map(Condition::getMessage)
                                                .orElse("release has test in failed phase"));
                                reason = Reasons.TEST_FAILED;
                                if (tests.countsAgainst(lastAction())) {
                                    Optional<ApplyResult> done = remediate(deployed);
                                    if (done.isPresent()) {
                                        return done;
                                    }
                                    continue;
                                }
                                if (!tests.ignoreFailures()) {
                                    return Optional.of(failed(Reasons.TEST_FAILED));
                                }
                                messages.clear();
                                reason = null;
                            }
                        }
                        return reapply(latest.get());
                    } else {
                        if (policy.exhausted(ReleasePolicy.UPGRADE, counts.upgrade())) {
                            return Optional.of(stalled(ReleasePolicy.UPGRADE));
                        }
                        Optional<ApplyResult> made = release(ReleasePolicy.UPGRADE, latest);
                        if (made.isPresent()) {
                            return made;
                        }
                    }
                } catch (CutShort e) {
                    return Optional.empty();
                } catch (ApplyException | RuntimeException e) {
                    if (reconciler.lanes.cutShort()) {
                        return Optional.empty();
                    }
                    messages.add(e.getMessage());
                    return Optional.of(failed(Reasons.RECONCILIATION_FAILED));
                }
            }
            return Optional.of(failed(Reasons.RECONCILIATION_FAILED));
        }

        /**
         * Installs or upgrades to this render: a pending revision is written first, then the
         * pre-hooks of the action run, the objects are applied, and its post-hooks run; the
         * revision awaits health-service's verdict. Empty when it failed (the revision is then
         * failed, and counted).
         */
        private Optional<ApplyResult> release(String action, Optional<ReleaseStorage.Stored> latest)
                throws ApplyException {
            if (render == null || render.release() == null) {
                messages.add(
                        "waiting for the next render of "
                                + attempt.object()
                                + " to "
                                + action
                                + " again");
                return Optional.of(failed(Reasons.RECONCILIATION_FAILED));
            }
            boolean install = ReleasePolicy.INSTALL.equals(action);
            ChartRelease target = render.release();
            List<GenericKubernetesResource> objects = new ArrayList<>();
            List<Hook> releaseHooks = new ArrayList<>();
            for (GenericKubernetesResource object :
                    StagedApplier.resources(
                            Manifests.decode(render.manifests(), reconciler.seal))) {
                if (Hook.isHook(object)) {
                    Hook.of(object).ifPresent(releaseHooks::add);
                } else {
                    objects.add(object);
                }
            }
            Instant now = Instant.now();
            int version = latest.map(s -> s.record().version() + 1).orElse(1);
            Instant firstDeployed =
                    install || latest.isEmpty() ? now : latest.get().record().firstDeployed();
            ReleaseRecord record =
                    ReleaseRecord.create(
                            target,
                            version,
                            install ? ReleaseRecord.PENDING_INSTALL : ReleaseRecord.PENDING_UPGRADE,
                            install ? "Initial install underway" : "Preparing upgrade",
                            recordedValues(target),
                            Manifest.yaml(objects),
                            releaseHooks,
                            firstDeployed,
                            now);
            counts = counts.attempting(action);
            released = true;
            // as helm-controller before an action: Ready Unknown, Remediated gone, and what is
            // attempted, in one write, so no reader sees the new attempt beside the old Ready
            conditions.startRelease(
                    action,
                    GoDuration.format(policy.timeout()),
                    counts.status(attempt, render.release()));
            String digest = renderDigest(attempt.revision(), target);
            ReleaseStorage.Stored stored =
                    new ReleaseStorage.Stored(
                            record,
                            attemptKey(attempt),
                            digest,
                            target.configDigest(),
                            target.postRenderDigest() == null ? "" : target.postRenderDigest(),
                            false,
                            now,
                            List.of());
            storage.write(storageNamespace, stored);
            LOG.infof("%s of %s with chart %s", action, record.display(), record.chart());
            try {
                KubernetesClient as = reconciler.ownerApply.localClientFor(attempt.object(), owner);
                if (install && policy.createNamespace()) {
                    createNamespace(as, target.namespace());
                }
                ReleaseOwnership.check(
                        as,
                        releaseObjects(objects),
                        known(),
                        target.name(),
                        target.namespace(),
                        owner.ownershipLabels(),
                        install ? "install" : "update");
                releaseObjects(objects)
                        .forEach(o -> ReleaseOwnership.stamp(o, target.name(), target.namespace()));
                List<AppliedObject> changes =
                        reconciler.ownerApply.apply(
                                attempt.object(),
                                attempt.revision(),
                                owner,
                                objects,
                                client ->
                                        runHooks(
                                                client,
                                                releaseHooks,
                                                install ? Hook.PRE_INSTALL : Hook.PRE_UPGRADE),
                                OwnerApply.Step
                                        .NONE); // post-install/post-upgrade hooks wait for the
                // release to be ready: see onVerdict
                storage.write(storageNamespace, stored.asApplied(created(objects, changes)));
                return Optional.of(
                        ApplyResult.pendingRelease(
                                attempt,
                                changes,
                                pendingRelease(record, Instant.now().plus(policy.timeout()))));
            } catch (ApplyException | RuntimeException e) {
                if (reconciler.lanes.cutShort()) {
                    throw new CutShort(); // left pending and not applied: unlocked and done again
                    // after the restart or by the release's new replica
                }
                // what the apply created before it stopped, as Helm keeps its partial result for
                // cleanupOnFail
                releaseFailed(
                        e instanceof ApplyException partial && !partial.applied().isEmpty()
                                ? stored.withCreated(created(objects, partial.applied()))
                                : stored,
                        action,
                        e.getMessage());
                return Optional.empty();
            } finally {
                trimHistory();
            }
        }

        /**
         * The values this render was made with, for Helm's record ({@code helm get values}): read
         * again from the cluster, since they never travel on Kafka (they may come from Secrets).
         * Empty when they changed since the render; the next render brings them.
         */
        private Map<String, Object> recordedValues(ChartRelease target) {
            try {
                Map<String, Object> values = HelmValues.of(reconciler.client, release);
                return HelmValues.digest(values).equals(target.configDigest()) ? values : Map.of();
            } catch (HelmValues.InvalidValues | RuntimeException e) {
                LOG.warnf(
                        "%s: values not recorded with the release: %s",
                        attempt.object(), e.getMessage());
                return Map.of();
            }
        }

        /**
         * A revision that failed (apply, hook or health check): recorded as Helm records it, and
         * counted.
         */
        void releaseFailed(ReleaseStorage.Stored stored, String action, String cause) {
            ReleaseRecord record = stored.record();
            String message =
                    "Helm "
                            + action
                            + " failed for release "
                            + record.namespace()
                            + "/"
                            + record.name()
                            + " with chart "
                            + record.chart()
                            + ": "
                            + cause;
            LOG.warnf("%s", message);
            messages.add(message);
            reason =
                    ReleasePolicy.INSTALL.equals(action)
                            ? Reasons.INSTALL_FAILED
                            : Reasons.UPGRADE_FAILED;
            conditions.set(Conditions.RELEASED, false, reason, message);
            storage.update(
                    storageNamespace,
                    stored,
                    record.withStatus(ReleaseRecord.FAILED, message, Instant.now()));
            counts = counts.failed(action);
            saveCounts();
            if (ReleasePolicy.UPGRADE.equals(action) && policy.cleanupOnFail()) {
                cleanUpAfterFailedUpgrade(stored);
            }
        }

        /**
         * Helm's upgrade.cleanupOnFail: the objects this failed upgrade created (its apply created
         * them, as recorded beside the revision; not one it found and took over, nor one of the
         * deployed revision) are deleted, and only while they carry the release's labels; an apply
         * that failed part way counts what it created before it stopped.
         */
        private void cleanUpAfterFailedUpgrade(ReleaseStorage.Stored stored) {
            ReleaseRecord failed = stored.record();
            Set<String> before = new HashSet<>();
            storage.history(storageNamespace, releaseName).stream()
                    .filter(s -> ReleaseRecord.DEPLOYED.equals(s.record().status()))
                    .filter(s -> s.record().version() < failed.version())
                    .forEach(
                            s ->
                                    objectsOf(s.record())
                                            .forEach(o -> before.add(ObjectId.of(o).id())));
            List<ObjectId> added =
                    objectsOf(failed).stream()
                            .map(ObjectId::of)
                            .filter(id -> stored.created().contains(id.id()))
                            .filter(id -> !before.contains(id.id()))
                            .toList();
            if (!added.isEmpty()) {
                try {
                    List<AppliedObject> deleted =
                            reconciler.ownerApply.delete(
                                    attempt.object(), owner, added, DeletionPropagation.BACKGROUND);
                    LOG.infof(
                            "%s: cleanupOnFail deleted %d object(s) the failed upgrade added",
                            failed.display(), deleted.size());
                } catch (ApplyException e) {
                    LOG.warnf(
                            "%s: cleanupOnFail deleted nothing: %s",
                            failed.display(), e.getMessage());
                }
            }
        }

        /**
         * After a failure: nothing to remediate when the counts were reset (then an upgrade
         * follows); stop, the failed revision left in place, once retries are spent and the last
         * failure is not to be remediated; otherwise uninstall or roll back, then go on while
         * retries remain.
         */
        private Optional<ApplyResult> remediate(ReleaseStorage.Stored failed)
                throws ApplyException {
            String action = lastAction();
            if (policy.retryInterval(action) != null) {
                // RetryOnFailure: never remediated; upgraded again, but not before the retry
                // interval has passed since the failure (the failure is retried then)
                return released
                        ? Optional.of(failed(Reasons.RECONCILIATION_FAILED))
                        : release(ReleasePolicy.UPGRADE, Optional.of(failed));
            }
            if (counts.active() <= 0) {
                if (policy.exhausted(ReleasePolicy.UPGRADE, counts.upgrade())) {
                    return Optional.of(stalled(ReleasePolicy.UPGRADE));
                }
                return release(ReleasePolicy.UPGRADE, Optional.of(failed));
            }
            boolean exhausted = policy.exhausted(action, counts.active());
            if (exhausted && !policy.remediateLastFailure(action)) {
                if (messages.isEmpty()) {
                    messages.add(failed.record().description());
                }
                return Optional.of(stalled(action));
            }
            boolean uninstall = ReleasePolicy.INSTALL.equals(action) || policy.upgradeUninstalls();
            if (uninstall) {
                uninstall(true);
            } else {
                Optional<ReleaseStorage.Stored> target = rollbackTarget();
                if (target.isEmpty()) {
                    messages.add(
                            "Failed to perform remediation: no previous release to roll back to");
                    reason = Reasons.MISSING_ROLLBACK_TARGET;
                    return Optional.of(failed(reason));
                }
                if (!rollback(failed, target.get())) {
                    return Optional.of(failed(reason));
                }
            }
            if (exhausted && !(uninstall && ReleasePolicy.UPGRADE.equals(action))) {
                return Optional.of(stalled(action));
            }
            return Optional.empty();
        }

        /**
         * The revision before the latest that was deployed, and whose tests did not fail (unless
         * their failures are ignored): what a rollback returns to, as helm-controller picks it.
         */
        private Optional<ReleaseStorage.Stored> rollbackTarget() {
            List<ReleaseStorage.Stored> history = storage.history(storageNamespace, releaseName);
            for (int i = history.size() - 2; i >= 0; i--) {
                String status = history.get(i).record().status();
                boolean failedTests =
                        tests.enabled()
                                && tests.failed(history.get(i).record())
                                && tests.countsAgainst(lastAction());
                if (!failedTests
                        && (ReleaseRecord.DEPLOYED.equals(status)
                                || ReleaseRecord.SUPERSEDED.equals(status))) {
                    return Optional.of(history.get(i));
                }
            }
            return Optional.empty();
        }

        /**
         * Helm's rollback: a new revision copied from the target, its pre/post-rollback hooks
         * around its objects.
         */
        private boolean rollback(ReleaseStorage.Stored failed, ReleaseStorage.Stored target) {
            ReleaseRecord from = target.record();
            ReleaseRecord record =
                    from.copyAs(
                            failed.record().version() + 1,
                            ReleaseRecord.PENDING_ROLLBACK,
                            "Rollback to " + from.version(),
                            Instant.now());
            ReleaseStorage.Stored stored =
                    new ReleaseStorage.Stored(
                            record,
                            target.attempt(),
                            target.renderDigest(),
                            target.configDigest(),
                            target.postRenderDigest(),
                            false,
                            Instant.now(),
                            List.of());
            storage.write(storageNamespace, stored);
            stored = stored.asApplied(List.of());
            List<GenericKubernetesResource> objects = objectsOf(from);
            List<Hook> targetHooks = from.hooks();
            try {
                releaseObjects(objects)
                        .forEach(o -> ReleaseOwnership.stamp(o, record.name(), record.namespace()));
                reconciler.ownerApply.apply(
                        attempt.object(),
                        attempt.revision(),
                        owner,
                        objects,
                        client -> runHooks(client, targetHooks, Hook.PRE_ROLLBACK),
                        client -> runHooks(client, targetHooks, Hook.POST_ROLLBACK));
            } catch (ApplyException | RuntimeException e) {
                if (reconciler.lanes.cutShort()) {
                    throw new CutShort();
                }
                storage.update(
                        storageNamespace,
                        stored,
                        record.withStatus(
                                ReleaseRecord.FAILED,
                                "Rollback \"" + record.name() + "\" failed: " + e.getMessage(),
                                Instant.now()));
                messages.add(
                        "Helm rollback to previous release "
                                + from.display()
                                + " with chart "
                                + from.chart()
                                + " failed: "
                                + e.getMessage());
                reason = Reasons.ROLLBACK_FAILED;
                conditions.set(
                        Conditions.REMEDIATED, false, reason, messages.get(messages.size() - 1));
                counts = counts.otherFailure();
                saveCounts();
                return false;
            }
            storage.update(
                    storageNamespace,
                    failed,
                    failed.record().withStatus(ReleaseRecord.SUPERSEDED, null, Instant.now()));
            deployed(stored, "Rollback to " + from.version());
            messages.add(
                    "Helm rollback to previous release "
                            + from.display()
                            + " with chart "
                            + from.chart()
                            + " succeeded");
            reason = Reasons.ROLLBACK_SUCCEEDED;
            conditions.set(Conditions.REMEDIATED, true, reason, messages.get(messages.size() - 1));
            return true;
        }

        /**
         * Helm's uninstall of the latest revision: its pre-delete hooks, then the release's objects
         * (those of its inventory and stored manifest that still carry its labels: never anything
         * else), then its post-delete hooks; the history is removed unless {@code
         * uninstall.keepHistory}.
         */
        void uninstall(boolean remediation) throws ApplyException {
            Optional<ReleaseStorage.Stored> latest = latest();
            List<Hook> releaseHooks = latest.map(s -> s.record().hooks()).orElse(List.of());
            KubernetesClient as = reconciler.ownerApply.localClientFor(attempt.object(), owner);
            runHooks(as, releaseHooks, Hook.PRE_DELETE);
            Set<String> seen = new HashSet<>();
            List<ObjectId> candidates = new ArrayList<>();
            owner.previousInventory().stream()
                    .filter(id -> seen.add(id.id()))
                    .forEach(candidates::add);
            latest.ifPresent(
                    s ->
                            objectsOf(s.record()).stream()
                                    .map(ObjectId::of)
                                    .filter(id -> seen.add(id.id()))
                                    .forEach(candidates::add));
            reconciler.ownerApply.delete(
                    attempt.object(), owner, candidates, policy.deletionPropagation());
            runHooks(as, releaseHooks, Hook.POST_DELETE);
            if (policy.keepHistory()) {
                latest.ifPresent(
                        s ->
                                storage.update(
                                        storageNamespace,
                                        s,
                                        s.record()
                                                .withStatus(
                                                        ReleaseRecord.UNINSTALLED,
                                                        "Uninstallation complete",
                                                        Instant.now())));
            } else {
                storage.history(storageNamespace, releaseName)
                        .forEach(s -> storage.delete(storageNamespace, s.record()));
            }
            owner.recordApplied(List.of(), null);
            if (remediation) {
                messages.add(
                        "Helm uninstall remediation for release "
                                + latest.map(s -> s.record().display()).orElse(releaseName)
                                + " with chart "
                                + latest.map(s -> s.record().chart()).orElse("")
                                + " succeeded");
                reason = Reasons.UNINSTALL_SUCCEEDED;
                conditions.set(
                        Conditions.REMEDIATED, true, reason, messages.get(messages.size() - 1));
            }
            LOG.infof("%s uninstalled", releaseName);
        }

        /**
         * Runs the hooks of {@code event}, unless the spec disables them for its action, as Helm's
         * DisableHooks does.
         */
        private void runHooks(KubernetesClient client, List<Hook> hooks, String event)
                throws ApplyException {
            if (policy.runsHooks(event)) {
                reconciler.hooks.run(client, hooks, event, policy.timeout());
            }
        }

        /**
         * Runs a ready revision's post hooks (from its stored record); the failure, if one failed.
         */
        Optional<String> postHooks(ReleaseRecord record, String event) {
            try {
                runHooks(
                        reconciler.ownerApply.localClientFor(attempt.object(), owner),
                        record.hooks(),
                        event);
                return Optional.empty();
            } catch (ApplyException | RuntimeException e) {
                if (reconciler.lanes.cutShort()) {
                    throw new CutShort();
                }
                return Optional.of(e.getMessage());
            }
        }

        /**
         * A revision deployed: the ones deployed before it are superseded, and history beyond
         * {@code maxHistory} goes.
         */
        void deployed(ReleaseStorage.Stored stored, String description) {
            Instant now = Instant.now();
            // as Helm records an upgrade: the earlier revision superseded first, then this one
            // deployed, so that no reader ever sees two deployed revisions
            for (ReleaseStorage.Stored earlier : storage.history(storageNamespace, releaseName)) {
                if (earlier.record().version() < stored.record().version()
                        && ReleaseRecord.DEPLOYED.equals(earlier.record().status())) {
                    storage.update(
                            storageNamespace,
                            earlier,
                            earlier.record().withStatus(ReleaseRecord.SUPERSEDED, null, now));
                }
            }
            storage.update(
                    storageNamespace,
                    stored,
                    stored.record().withStatus(ReleaseRecord.DEPLOYED, description, now));
            trimHistory();
        }

        /**
         * At most {@code maxHistory} revisions are kept (0: all), oldest first to go, never the
         * deployed one.
         */
        private void trimHistory() {
            if (policy.maxHistory() <= 0) {
                return;
            }
            List<ReleaseStorage.Stored> history = storage.history(storageNamespace, releaseName);
            int excess = history.size() - policy.maxHistory();
            for (ReleaseStorage.Stored old : history) {
                if (excess <= 0) {
                    break;
                }
                if (!ReleaseRecord.DEPLOYED.equals(old.record().status())) {
                    storage.delete(storageNamespace, old.record());
                    excess--;
                }
            }
        }

        /** What health-service hears of a pending revision: its action, name and deadline. */
        private PendingRelease pendingRelease(ReleaseRecord record, Instant deadline) {
            return new PendingRelease(
                    ReleaseRecord.PENDING_INSTALL.equals(record.status())
                            ? ReleasePolicy.INSTALL
                            : ReleasePolicy.UPGRADE,
                    record.display(),
                    deadline);
        }

        /**
         * Whether this attempt is the pending revision's change (generation and chart revision)
         * with a newer {@code reconcile.fluxcd.io/requestedAt}, the one the object now carries.
         */
        private boolean requestedAgain(ReleaseStorage.Stored pending) {
            String key = attemptKey(attempt);
            String requested =
                    release.getMetadata().getAnnotations() == null
                            ? null
                            : release.getMetadata().getAnnotations().get(Annotations.REQUESTED_AT);
            return !pending.attempt().equals(key)
                    && attempt.requestedAt() != null
                    && attempt.requestedAt().equals(requested)
                    && change(pending.attempt()).equals(change(key));
        }

        /** An attempt key without its {@code requestedAt}. */
        private static String change(String attemptKey) {
            return attemptKey.substring(0, Math.max(0, attemptKey.lastIndexOf('/')));
        }

        /**
         * A pending revision of this attempt, fully applied, whose verdict can still come: its
         * objects are applied again and awaited. One not fully applied was cut short (apply-service
         * stopped mid-hook or mid-apply; within one apply-service a release's work never runs twice
         * at once), and one past its timeout will get no verdict.
         */
        private boolean awaitingVerdict(ReleaseStorage.Stored latest) {
            return latest.applied()
                    && latest.attempt().equals(attemptKey(attempt))
                    && render != null
                    && render.release() != null
                    && latest.renderDigest()
                            .equals(renderDigest(attempt.revision(), render.release()))
                    && latest.modified()
                            .plus(policy.timeout())
                            .plus(PENDING_GRACE)
                            .isAfter(Instant.now());
        }

        /** The inventory ids of the objects among {@code objects} that the apply created. */
        private static List<String> created(
                List<GenericKubernetesResource> objects, List<AppliedObject> changes) {
            Set<String> created = new HashSet<>();
            changes.stream()
                    .filter(c -> c.action() == AppliedObject.Action.CREATED)
                    .forEach(c -> created.add(key(c.kind(), c.namespace(), c.name())));
            return objects.stream()
                    .filter(
                            o ->
                                    created.contains(
                                            key(
                                                    o.getKind(),
                                                    o.getMetadata().getNamespace(),
                                                    o.getMetadata().getName())))
                    .map(o -> ObjectId.of(o).id())
                    .toList();
        }

        private static String key(String kind, String namespace, String name) {
            return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
        }

        /**
         * Helm's install.createNamespace: the release namespace, labelled as Helm labels it, when
         * it is not there.
         */
        private static void createNamespace(KubernetesClient client, String namespace) {
            if (client.namespaces().withName(namespace).get() == null) {
                client.resource(
                                new NamespaceBuilder()
                                        .withNewMetadata()
                                        .withName(namespace)
                                        .addToLabels("name", namespace)
                                        .endMetadata()
                                        .build())
                        .create();
            }
        }

        private String whyNotAwaited(ReleaseStorage.Stored latest) {
            if (!latest.applied()) {
                return "its objects were never all applied";
            }
            if (!latest.attempt().equals(attemptKey(attempt))) {
                return "it is attempt " + latest.attempt() + ", this is " + attemptKey(attempt);
            }
            if (render == null
                    || render.release() == null
                    || !latest.renderDigest()
                            .equals(renderDigest(attempt.revision(), render.release()))) {
                return "this render differs from it";
            }
            return "it is older than the timeout";
        }

        /**
         * A pending revision nobody is finishing (Sluice stopped mid-release): failed, as
         * helm-controller unlocks it.
         */
        private void unlock(ReleaseStorage.Stored stale, String why) {
            String message = "Release unlocked from stale '" + stale.record().status() + "' state";
            LOG.warnf("%s: %s (%s)", stale.record().display(), message, why);
            conditions.set(Conditions.RELEASED, false, "PendingRelease", message);
            storage.update(
                    storageNamespace,
                    stale,
                    stale.record().withStatus(ReleaseRecord.FAILED, message, Instant.now()));
            // applied and never judged in time: its wait timed out, a failure of its action; cut
            // short: no release failed
            String action =
                    ReleaseRecord.PENDING_INSTALL.equals(stale.record().status())
                            ? ReleasePolicy.INSTALL
                            : ReleasePolicy.UPGRADE;
            counts =
                    stale.applied()
                                    && !ReleaseRecord.PENDING_ROLLBACK.equals(
                                            stale.record().status())
                            ? counts.failed(action)
                            : counts.otherFailure();
            saveCounts();
        }

        /**
         * Helm's test action on the deployed revision, as helm-controller runs it: {@code
         * TestSuccess} says how it went; a failure is counted against the remediation of the action
         * last attempted and remediated like a failed release (unless ignored: then only {@code
         * failures} counts it, and with {@code test.ignoreFailures} the release stays Ready).
         */
        private Optional<ApplyResult> test(ReleaseStorage.Stored deployed) throws ApplyException {
            testedThisRun = true;
            ReleaseRecord record = deployed.record();
            ReleaseTester.Outcome outcome =
                    reconciler.tester.run(
                            reconciler.ownerApply.localClientFor(attempt.object(), owner),
                            storage,
                            storageNamespace,
                            deployed,
                            tests);
            String release = record.display() + " with chart " + record.chart();
            if (outcome.failure().isEmpty()) {
                int hooks = outcome.selected();
                conditions.set(
                        Conditions.TEST_SUCCESS,
                        true,
                        Reasons.TEST_SUCCEEDED,
                        "Helm test succeeded for release "
                                + release
                                + ": "
                                + (hooks == 0
                                        ? "no test hooks"
                                        : hooks
                                                + (hooks == 1 ? " test hook" : " test hooks")
                                                + " completed successfully"));
                return Optional.of(ApplyResult.applied(attempt, List.of()));
            }
            if (reconciler.lanes.cutShort()) {
                throw new CutShort(); // the hook's run is left Running: tested again after the
                // restart or by the release's new replica
            }
            String message =
                    "Helm test failed for release " + release + ": " + outcome.failure().get();
            LOG.warnf("%s", message);
            if (!tests.failed(outcome.stored().record())) {
                // as helm-controller: no hook ran to a result (its object could not be read or
                // replaced, say), so nothing is counted and the test runs again next time
                messages.add(message);
                return Optional.of(failed(Reasons.RECONCILIATION_FAILED));
            }
            conditions.set(Conditions.TEST_SUCCESS, false, Reasons.TEST_FAILED, message);
            messages.add(message);
            reason = Reasons.TEST_FAILED;
            String action = lastAction();
            if (!tests.countsAgainst(action)) {
                counts = counts.otherFailure();
                saveCounts();
                return Optional.of(
                        tests.ignoreFailures()
                                ? ApplyResult.applied(attempt, List.of())
                                : failed(Reasons.TEST_FAILED));
            }
            counts = counts.failed(action);
            saveCounts();
            Optional<ApplyResult> done = remediate(outcome.stored());
            return done.isPresent() ? done : loop();
        }

        /** Whether it targets another cluster ({@code spec.kubeConfig}), which is refused. */
        boolean remote() {
            return TargetClusters.remote(release.getSpec().kubeConfig);
        }

        /** As helm-controller: no {@code TestSuccess} while tests are off. */
        void forgetTestsWhenOff() {
            if (!tests.enabled()
                    && release.getStatus() != null
                    && Conditions.find(release.getStatus().conditions, Conditions.TEST_SUCCESS)
                            .isPresent()) {
                conditions.remove(Conditions.TEST_SUCCESS);
            }
        }

        private Optional<Condition> testCondition() {
            return Conditions.find(
                    release.getStatus() == null ? null : release.getStatus().conditions,
                    Conditions.TEST_SUCCESS);
        }

        /**
         * The revision with the render's test hooks added when it has none stored: it was made
         * while tests were off, when they are not rendered (Helm would have stored them; the render
         * of the same chart and values has the same ones).
         */
        private ReleaseStorage.Stored withRenderedTests(ReleaseStorage.Stored deployed) {
            if (!deployed.record().lastRuns(Hook.TEST).isEmpty()) {
                return deployed;
            }
            List<Hook> rendered =
                    StagedApplier.resources(Manifests.decode(render.manifests(), reconciler.seal))
                            .stream()
                            .map(Hook::of)
                            .flatMap(Optional::stream)
                            .filter(h -> h.events().contains(Hook.TEST))
                            .toList();
            if (rendered.isEmpty()) {
                return deployed;
            }
            ReleaseStorage.Stored updated = deployed.with(deployed.record().withHooks(rendered));
            storage.write(storageNamespace, updated);
            return updated;
        }

        /**
         * A stored revision's objects, those without a namespace in the release's when their kind
         * is namespaced, as Helm applies them (Helm's own manifests leave it out where the chart
         * does).
         */
        private List<GenericKubernetesResource> objectsOf(ReleaseRecord record) {
            return Manifest.objects(record.manifest(), record.namespace(), reconciler.kinds);
        }

        /**
         * The post-renderers and common metadata are those the deployed revision was made with (a
         * change of either upgrades, as in helm-controller). A revision that does not record them
         * (Helm's, helm-controller's, an older Sluice's) adopts the current ones, as
         * helm-controller adopts its observed digests, rather than being upgraded for nothing.
         */
        private boolean postRendersAsDeployed(ReleaseStorage.Stored deployed) {
            String wanted =
                    render.release().postRenderDigest() == null
                            ? ""
                            : render.release().postRenderDigest();
            if (deployed.postRenderDigest() == null) {
                storage.write(storageNamespace, deployed.withPostRenderDigest(wanted));
                return true;
            }
            return deployed.postRenderDigest().equals(wanted);
        }

        /** The action last attempted, whose remediation settings govern; install before any. */
        private String lastAction() {
            return counts.action() == null ? ReleasePolicy.INSTALL : counts.action();
        }

        /**
         * The deployed (or awaited) revision of this render: its stored objects applied again, no
         * hooks, no new revision.
         */
        private Optional<ApplyResult> reapply(ReleaseStorage.Stored latest) throws ApplyException {
            ReleaseRecord record = latest.record();
            // the revision as stored, not this render: a render is made for the next upgrade
            // (.Release.Revision one higher, a chart's random values drawn again)
            // crds/ CRDs only at install or upgrade, as Helm
            List<GenericKubernetesResource> objects = releaseObjects(objectsOf(record));
            objects.forEach(o -> ReleaseOwnership.stamp(o, record.name(), record.namespace()));
            // not an upgrade, which would set them: the fields driftDetection.ignore names keep
            // whatever they were changed to, as helm-controller's drift correction leaves them
            // (which reads the rules only with drift detection on)
            DriftPolicy drift = DriftPolicy.of(release.getSpec().driftDetection);
            List<AppliedObject> changes =
                    reconciler.ownerApply.apply(
                            attempt.object(),
                            attempt.revision(),
                            owner,
                            objects,
                            OwnerApply.Step.NONE,
                            OwnerApply.Step.NONE,
                            drift.mode() == DriftPolicy.Mode.DISABLED
                                    ? IgnoreRules.NONE
                                    : drift.ignore());
            if (pending(record)) {
                return Optional.of(
                        ApplyResult.pendingRelease(
                                attempt,
                                changes,
                                pendingRelease(record, latest.modified().plus(policy.timeout()))));
            }
            saveCounts();
            markInSync(record);
            return Optional.of(ApplyResult.applied(attempt, changes));
        }

        /**
         * Objects of the release's deployed revisions (and its inventory): Helm takes them as its
         * own without asking.
         */
        private Set<String> known() {
            Set<String> ids = new HashSet<>();
            owner.previousInventory().forEach(id -> ids.add(id.id()));
            for (ReleaseStorage.Stored stored : storage.history(storageNamespace, releaseName)) {
                String status = stored.record().status();
                if (ReleaseRecord.DEPLOYED.equals(status)
                        || ReleaseRecord.SUPERSEDED.equals(status)) {
                    objectsOf(stored.record()).forEach(o -> ids.add(ObjectId.of(o).id()));
                }
            }
            return ids;
        }

        private ApplyResult stalled(String action) {
            String message =
                    "Failed to "
                            + action
                            + " after "
                            + (ReleasePolicy.INSTALL.equals(action)
                                    ? counts.install()
                                    : counts.upgrade())
                            + " attempt(s)";
            messages.add(message);
            conditions.set(Conditions.STALLED, true, Reasons.RETRIES_EXCEEDED, message);
            return failed(Reasons.RETRIES_EXCEEDED);
        }

        /**
         * The deployed revision is what the spec asks for: Released says so, as helm-controller
         * writes it for a release found in sync (after a rollback to the same chart and values, or
         * one made before Sluice wrote the condition).
         */
        private void markInSync(ReleaseRecord deployed) {
            List<Condition> current =
                    release.getStatus() == null ? null : release.getStatus().conditions;
            boolean remediated = Conditions.isTrue(current, Conditions.REMEDIATED);
            if (!remediated && Conditions.isTrue(current, Conditions.RELEASED)) {
                return;
            }
            if (remediated) {
                conditions.remove(Conditions.REMEDIATED);
            }
            String action =
                    deployed.version() == 1 && !remediated
                            ? ReleasePolicy.INSTALL
                            : ReleasePolicy.UPGRADE;
            conditions.set(
                    Conditions.RELEASED,
                    true,
                    ReleasePolicy.INSTALL.equals(action)
                            ? Reasons.INSTALL_SUCCEEDED
                            : Reasons.UPGRADE_SUCCEEDED,
                    succeeded(action, deployed));
        }

        private ApplyResult failed(String fallbackReason) {
            String why =
                    Reasons.RETRIES_EXCEEDED.equals(fallbackReason) || reason == null
                            ? fallbackReason
                            : reason;
            return ApplyResult.failed(attempt, new Failure(why, String.join("; ", messages)));
        }

        /** Never fails the run: the history is rewritten whole at the next one. */
        void saveHistory() {
            try {
                StatusPatches.merge(
                        reconciler.client,
                        HelmRelease.class,
                        attempt.object().namespace(),
                        attempt.object().name(),
                        Map.of(
                                "history",
                                ReleaseHistory.snapshots(
                                        storage.history(storageNamespace, releaseName), tests)));
            } catch (RuntimeException e) {
                LOG.warnf(
                        "%s: could not record the release history: %s",
                        attempt.object(), e.getMessage());
            }
        }

        void saveCounts() {
            StatusPatches.merge(
                    reconciler.client,
                    HelmRelease.class,
                    attempt.object().namespace(),
                    attempt.object().name(),
                    counts.status(attempt, render == null ? null : render.release()));
        }

        /**
         * The chart's own CRDs (from {@code crds/}) are not release objects for Helm: neither
         * checked nor stamped.
         */
        private static List<GenericKubernetesResource> releaseObjects(
                List<GenericKubernetesResource> objects) {
            return objects.stream()
                    .filter(
                            o ->
                                    !("CustomResourceDefinition".equals(o.getKind())
                                            && Annotations.DISABLED.equals(
                                                    o.getMetadata().getAnnotations() == null
                                                            ? null
                                                            : o.getMetadata()
                                                                    .getAnnotations()
                                                                    .get(Annotations.PRUNE))))
                    .toList();
        }
    }
}
