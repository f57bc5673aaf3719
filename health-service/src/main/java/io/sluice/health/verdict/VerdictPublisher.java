package io.sluice.health.verdict;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.cluster.ImpersonatedClients;
import io.sluice.contracts.cluster.TargetClusters;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.AppliedObject;
import io.sluice.contracts.events.ApplyResult;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.PendingRelease;
import io.sluice.contracts.events.TextRecords;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.events.Verdict;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.logging.ObjectLogContext;
import io.sluice.contracts.meta.AttemptLedger;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.meta.StatusPatches;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.trace.Stages;
import io.sluice.health.alert.AlertPublisher;
import io.sluice.health.readiness.HealthCheckExpressions;
import io.sluice.health.readiness.Readiness;
import io.sluice.health.readiness.ReadinessWaiter;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The last word on an attempt of a Kustomization or HelmRelease: waits for the applied objects to
 * be ready when the object asks for it, writes the Ready condition and {@code lastAppliedRevision}
 * as Flux does, and publishes the verdict as an alert.
 */
@ApplicationScoped
public class VerdictPublisher {
    private static final Logger LOG = Logger.getLogger(VerdictPublisher.class);

    /** How soon a verdict that could not be written is tried again. */
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final AlertPublisher alerts;
    private final MutinyEmitter<Verdict> verdicts;
    private final ObjectStates states;
    private final MeterRegistry metrics;
    private final ObjectMapper json;
    private final AttemptLedger ledger = new AttemptLedger();
    private final Map<ObjectRef, Attempt> latest = new ConcurrentHashMap<>();

    /** The health span of each attempt being judged: a failed verdict marks it. */
    private final Map<Attempt, Span> healthSpans = new ConcurrentHashMap<>();

    /** The attempt each object's readiness wait is for, while it runs. */
    private final Map<ObjectRef, Attempt> waiting = new ConcurrentHashMap<>();

    /**
     * The locks verdicts are written under, an object's always the same one: one object's in order,
     * most others' side by side (one lock for all held every verdict behind the one being written).
     * A fixed set, so nothing grows with the objects seen.
     */
    private final Object[] verdictLocks = Stream.generate(Object::new).limit(64).toArray();

    /** Per object, the judgement last started (see {@link #inTurn}). */
    private final Map<ObjectRef, CompletableFuture<CompletionStage<Void>>> turns =
            new ConcurrentHashMap<>();

    /**
     * Readiness polls and the verdicts' writes (blocking calls to the API server and Kafka): enough
     * threads that verdicts of many objects are written side by side.
     */
    private final ScheduledExecutorService scheduler =
            Executors.newScheduledThreadPool(
                    8,
                    r -> {
                        Thread t = new Thread(r, "readiness");
                        t.setDaemon(true);
                        return t;
                    });

    private final ReadinessWaiter waiter;
    private final ImpersonatedClients impersonation;
    private final Tracer tracer;
    private final Ownership ownership;

    /** Where verdicts that could not be written wait to be tried again, apart from the polling. */
    private final ScheduledExecutorService retries =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "verdict-retry");
                        t.setDaemon(true);
                        return t;
                    });

    public VerdictPublisher(
            KubernetesClient client,
            AlertPublisher alerts,
            ObjectStates states,
            MeterRegistry metrics,
            ObjectMapper json,
            Tracer tracer,
            @Channel(Topics.VERDICTS) MutinyEmitter<Verdict> verdicts,
            @ConfigProperty(name = "sluice.default-service-account")
                    Optional<String> defaultServiceAccount,
            Ownership ownership) {
        this.tracer = tracer;
        this.ownership = ownership;
        this.json = json;
        this.verdicts = verdicts;
        this.client = client;
        this.metrics = metrics;
        this.alerts = alerts;
        this.states = states;
        this.waiter = new ReadinessWaiter(scheduler);
        this.impersonation = new ImpersonatedClients(client, defaultServiceAccount);
    }

    /**
     * Acknowledged at once: a wait may last the object's whole timeout (minutes), and must hold up
     * neither the verdicts of other objects nor the topic's commits. The judgement runs off the
     * Kafka event loop, since every step calls the API server.
     */
    @Incoming(Topics.APPLIED)
    public CompletionStage<Void> onApplied(Message<String> message) {
        ApplyResult result = TextRecords.parse(json, message.getPayload(), ApplyResult.class);
        if (result == null || result.attempt() == null || result.attempt().object() == null) {
            // read as text and parsed here, so that a record that is no result is skipped and
            // reported on its object
            scheduler.execute(() -> unreadable(message));
            return message.ack();
        }
        judgeLater(result, Stages.of(message));
        return message.ack();
    }

    /**
     * An object's last apply result from before this replica got its partition (read again from the
     * topic, see {@code takeover.Takeover}): judged like a delivered one unless the status already
     * holds its verdict, a live result for the object came first, or it was a failure (whose
     * verdict is written at once, not after a wait a restart could lose).
     */
    public void replay(ApplyResult result) {
        ObjectRef ref = result.attempt().object();
        if (!ownership.owns(ref) || latest.containsKey(ref) || result.failure() != null) {
            return;
        }
        Subject subject = Subject.load(client, ref).orElse(null);
        if (subject == null || subject.readyAt(result.attempt())) {
            return;
        }
        LOG.infof(
                "%s: its last apply, at %s, judged again as its new owner",
                ref, result.attempt().revision());
        judgeLater(result, Context.root());
    }

    /**
     * What this replica knew of an object that is another one's now is dropped: its verdicts still
     * being waited for are then superseded, and never written here.
     */
    public void forget(ObjectRef ref) {
        latest.remove(ref);
        // else a resync after the object comes back would be taken as answered by that wait
        waiting.remove(ref);
        ledger.forget(ref);
        states.forget(ref);
    }

    /** The objects this replica holds something about. */
    public Set<ObjectRef> known() {
        return Set.copyOf(latest.keySet());
    }

    private void judgeLater(ApplyResult result, Context trace) {
        Attempt running = waiting.get(result.attempt().object());
        if (result.attempt().isResync()
                && running != null
                && sameChange(running, result.attempt())) {
            // a resync of what is being waited for: that wait answers for it (else a resync shorter
            // than the
            // timeout would restart the wait for ever, and a failing object never be reported)
            return;
        }
        Timer.Sample timer = Timer.start(metrics);
        // a result of an older generation (a record delivered again after a restart) never
        // becomes the latest: it is superseded, so it cannot override the newer one's verdict
        latest.merge(
                result.attempt().object(),
                result.attempt(),
                (seen, arrived) -> arrived.generation() < seen.generation() ? seen : arrived);
        // the health span lasts until the verdict: the whole readiness wait shows in the trace
        Span span = Stages.start(tracer, Stages.HEALTH, result.attempt().object(), trace);
        span.setAttribute(Stages.REVISION, result.attempt().revision());
        healthSpans.put(result.attempt(), span);
        inTurn(
                        result.attempt().object(),
                        () -> {
                            try (Scope scope = trace.with(span).makeCurrent()) {
                                return judge(result);
                            }
                        })
                .thenCompose(verdict -> verdict)
                .whenComplete(
                        (done, error) -> {
                            healthSpans.remove(result.attempt(), span);
                            if (error != null) {
                                span.recordException(error);
                                span.setStatus(StatusCode.ERROR);
                            }
                            span.end();
                        })
                .whenComplete(
                        (done, error) ->
                                timer.stop(
                                        metrics.timer(
                                                Metrics.RECONCILE_DURATION,
                                                "kind",
                                                result.attempt().object().kind(),
                                                "stage",
                                                "health")));
    }

    /**
     * Starts judging a result once the judgement of the object's previous result has started its
     * wait or written its verdict: results of one object are judged in the order they came (two
     * results of one attempt, a failure and the run after it, must not land the older last).
     */
    private CompletableFuture<CompletionStage<Void>> inTurn(
            ObjectRef object, Supplier<CompletionStage<Void>> judgement) {
        CompletableFuture<CompletionStage<Void>> turn =
                turns.compute(
                        object,
                        (key, previous) ->
                                (previous == null
                                                ? CompletableFuture
                                                        .<CompletionStage<Void>>completedFuture(
                                                                null)
                                                : previous)
                                        .handleAsync((done, error) -> judgement.get(), scheduler));
        turn.whenComplete((done, error) -> turns.remove(object, turn));
        return turn;
    }

    /**
     * A record that is no apply result: reported on the object its key names (Ready=False and an
     * alert), if it names one that exists; the owner's next reconciliation replaces it.
     */
    private void unreadable(Message<String> message) {
        Object key = TextRecords.key(message);
        LOG.errorf("an unreadable record on %s (key %s) was skipped", Topics.APPLIED, key);
        ObjectRef ref =
                ObjectRef.fromKey(key)
                        .filter(
                                r ->
                                        Kustomization.KIND.equals(r.kind())
                                                || HelmRelease.KIND.equals(r.kind()))
                        .orElse(null);
        Subject subject = ref == null ? null : Subject.load(client, ref).orElse(null);
        if (subject == null) {
            return;
        }
        Attempt attempt = new Attempt(ref, subject.live().getMetadata().getGeneration(), "", null);
        latest.put(ref, attempt);
        persistently(
                attempt,
                () ->
                        fail(
                                attempt,
                                new Failure(
                                        Reasons.RECONCILIATION_FAILED,
                                        "a result for "
                                                + ref
                                                + " on "
                                                + Topics.APPLIED
                                                + " could not be read and was skipped; the next reconciliation replaces it")));
    }

    private static boolean sameChange(Attempt a, Attempt b) {
        return a.generation() == b.generation()
                && java.util.Objects.equals(a.revision(), b.revision())
                && java.util.Objects.equals(a.requestedAt(), b.requestedAt());
    }

    /**
     * Whether a newer attempt for the same object has arrived since (its verdict is the one that
     * counts).
     */
    private boolean superseded(Attempt attempt) {
        return !attempt.equals(latest.get(attempt.object()));
    }

    private CompletionStage<Void> judge(ApplyResult result) {
        Attempt attempt = result.attempt();
        if (!ownership.owns(attempt.object())) {
            // its partition moved on while it waited: the new owner reads it again
            return CompletableFuture.completedFuture(null);
        }
        PendingRelease pending = result.pendingRelease();
        if (!ledger.firstDelivery(
                attempt, pending == null ? "" : "pending " + pending.revision())) {
            return CompletableFuture.completedFuture(null);
        }
        if (result.failure() != null) {
            persistently(attempt, () -> fail(attempt, result.failure()));
            return CompletableFuture.completedFuture(null);
        }
        Subject subject = Subject.load(client, attempt.object()).orElse(null);
        if (subject == null) {
            return CompletableFuture.completedFuture(null);
        }
        HealthCheckExpressions expressions;
        try {
            expressions = subject.expressions();
        } catch (HealthCheckExpressions.InvalidExpression e) {
            // as Flux: a health check it cannot build fails the reconciliation, naming the entry
            // and the error
            persistently(
                    attempt,
                    () ->
                            fail(
                                    attempt,
                                    new Failure(
                                            Reasons.HEALTH_CHECK_FAILED,
                                            "invalid " + e.getMessage())));
            return CompletableFuture.completedFuture(null);
        }
        if (pending != null) {
            progressing(attempt, subject, pending);
        }
        // a periodic resync that changed nothing is no news: Ready is written again, but no alert
        // is sent
        boolean news =
                !attempt.isResync()
                        || result.changes().stream()
                                .anyMatch(c -> c.action() != AppliedObject.Action.UNCHANGED);
        if (!subject.waits() && subject.healthChecks().isEmpty()) {
            persistently(attempt, () -> ready(result, news));
            return CompletableFuture.completedFuture(null);
        }
        List<AppliedObject> toCheck = new ArrayList<>(subject.healthChecks());
        if (subject.waits()) {
            // an object the spec names is checked once, as named (read by GET first)
            Set<String> named =
                    subject.healthChecks().stream()
                            .map(VerdictPublisher::identity)
                            .collect(Collectors.toSet());
            result.changes().stream()
                    .filter(c -> c.action() != AppliedObject.Action.DELETED)
                    .filter(c -> !named.contains(identity(c)))
                    .forEach(toCheck::add);
        }
        KubernetesClient target;
        try {
            // read as Flux reads them: on the cluster they were applied to (spec.kubeConfig), as
            // the owner's service account, so a tenant's health checks see only what it may
            target =
                    impersonation.clientFor(
                            attempt.object().namespace(),
                            subject.serviceAccountName(),
                            subject.kubeConfig());
        } catch (TargetClusters.InvalidKubeConfig e) {
            persistently(
                    attempt,
                    () ->
                            fail(
                                    attempt,
                                    new Failure(Reasons.RECONCILIATION_FAILED, e.getMessage())));
            return CompletableFuture.completedFuture(null);
        }
        waiting.put(attempt.object(), attempt);
        return waiter.await(target, toCheck, timeout(subject, pending), expressions)
                .whenComplete((done, error) -> waiting.remove(attempt.object(), attempt))
                // written on the scheduler thread that ended the wait, not queued again behind
                // every judgement that came since (a thousand of them after one commit)
                .handle(
                        (notReady, error) -> {
                            // only the wait's own outcome is a health verdict; a failure to
                            // write or send it is retried, never reported as unhealthy
                            if (error != null) {
                                persistently(
                                        attempt,
                                        () ->
                                                fail(
                                                        attempt,
                                                        new Failure(
                                                                Reasons.HEALTH_CHECK_FAILED,
                                                                "health check failed: "
                                                                        + error.getMessage())));
                            } else if (notReady.isEmpty()) {
                                persistently(attempt, () -> ready(result, news));
                            } else {
                                boolean failed =
                                        notReady.values().stream().allMatch(Readiness::failed);
                                Failure failure =
                                        new Failure(
                                                Reasons.HEALTH_CHECK_FAILED,
                                                (failed
                                                                ? "health check failed: "
                                                                : "timeout waiting for: ")
                                                        + describe(notReady));
                                persistently(
                                        attempt,
                                        () ->
                                                fail(
                                                        attempt,
                                                        failure,
                                                        pending == null
                                                                ? null
                                                                : pending.revision()));
                            }
                            return null;
                        });
    }

    /**
     * The object's timeout; for a pending Helm revision, what is left of it since its objects were
     * applied (a revision judged again after a restart keeps its deadline, as a Helm wait would).
     */
    private static java.time.Duration timeout(Subject subject, PendingRelease pending) {
        if (pending == null || pending.deadline() == null) {
            return subject.timeout();
        }
        java.time.Duration left = java.time.Duration.between(Instant.now(), pending.deadline());
        return left.isNegative() ? java.time.Duration.ZERO : left;
    }

    /**
     * Runs a step that writes a verdict (status, Kafka) until it succeeds or a newer attempt makes
     * it moot: an API server or broker hiccup delays a verdict, it never changes it.
     */
    private void persistently(Attempt attempt, Runnable step) {
        ObjectLogContext logged = ObjectLogContext.of(attempt.object(), attempt.revision());
        try {
            step.run();
        } catch (RuntimeException e) {
            if (superseded(attempt)) {
                return;
            }
            LOG.warnf(
                    "%s: verdict not written yet, trying again in %d s: %s",
                    attempt.object(), RETRY.toSeconds(), e.getMessage());
            retries.schedule(
                    () -> persistently(attempt, step), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            logged.close(); // after the catch: its warning is the object's
        }
    }

    /**
     * Ready Unknown while a Helm revision is being released, as apply-service set it when the
     * release began: written again here so that a verdict on an earlier attempt of this object
     * (written after that) does not stand while the release runs. Once only, not retried: it must
     * never land after this attempt's own verdict.
     */
    private void progressing(Attempt attempt, Subject subject, PendingRelease pending) {
        synchronized (lockOf(attempt.object())) {
            if (superseded(attempt)) {
                return;
            }
            ObjectLogContext logged = ObjectLogContext.of(attempt.object(), attempt.revision());
            try {
                writeStatus(
                        subject,
                        attempt,
                        Map.of(),
                        conditions ->
                                Conditions.set(
                                        conditions,
                                        Conditions.READY,
                                        Conditions.UNKNOWN,
                                        Reasons.PROGRESSING,
                                        "Running '"
                                                + pending.action()
                                                + "' action with timeout of "
                                                + GoDuration.format(subject.timeout()),
                                        attempt.generation()));
            } catch (RuntimeException e) {
                LOG.warnf("%s: Ready not marked progressing: %s", attempt.object(), e.getMessage());
            } finally {
                logged.close();
            }
        }
    }

    /**
     * The applied objects are ready. A pending Helm revision is not released yet: apply-service
     * hears so, runs its post hooks, records it deployed and reports again, and only that report
     * makes the HelmRelease Ready.
     */
    private void ready(ApplyResult result, boolean news) {
        if (result.pendingRelease() == null) {
            succeed(result.attempt(), news);
        } else if (!superseded(result.attempt())) {
            verdicts.sendMessageAndAwait(
                    Envelopes.of(
                            result.attempt().object(),
                            Verdict.TYPE,
                            "health-service",
                            new Verdict(
                                    result.attempt(), null, result.pendingRelease().revision())));
        }
    }

    /**
     * An object's verdicts are written one at a time (under {@link #lockOf}), so a superseded one
     * can never land after the one that supersedes it.
     */
    private void succeed(Attempt attempt, boolean news) {
        synchronized (lockOf(attempt.object())) {
            if (superseded(attempt)) {
                return;
            }
            Subject subject = Subject.load(client, attempt.object()).orElse(null);
            if (subject == null) {
                return;
            }
            // a HelmRelease's Ready says what its Released condition says (its TestSuccess,
            // when its tests count), as helm-controller's summary
            Condition released =
                    Conditions.find(subject.conditions(), subject.releaseSummary())
                            .filter(c -> "True".equals(c.getStatus()))
                            .orElse(null);
            String reason =
                    released == null ? Reasons.RECONCILIATION_SUCCEEDED : released.getReason();
            String message =
                    released == null
                            ? "Applied revision: " + attempt.revision()
                            : released.getMessage();
            Map<String, Object> status = status(attempt);
            if (Kustomization.KIND.equals(attempt.object().kind())) {
                // a HelmRelease has none: apply-service keeps its history
                status.put("lastAppliedRevision", attempt.revision());
            }
            writeStatus(
                    subject,
                    attempt,
                    status,
                    conditions ->
                            Conditions.set(
                                    Conditions.remove(conditions, Conditions.STALLED),
                                    Conditions.READY,
                                    true,
                                    reason,
                                    message,
                                    attempt.generation()));
            states.succeeded(attempt.object(), attempt.revision(), reason, message);
            if (news) {
                publish(Alert.Severity.info, reason, message, attempt, subject);
            }
            verdicts.sendMessageAndAwait(
                    Envelopes.of(
                            attempt.object(),
                            Verdict.TYPE,
                            "health-service",
                            new Verdict(attempt, null)));
        }
    }

    private void fail(Attempt attempt, Failure failure) {
        fail(attempt, failure, null);
    }

    /** {@code release}: the pending Helm revision the failure is of, if any. */
    private void fail(Attempt attempt, Failure failure, String release) {
        synchronized (lockOf(attempt.object())) {
            if (release == null) {
                // judged again when the same attempt is retried; a failed Helm revision is never
                // judged again (apply-service may publish it once more before it hears the verdict)
                ledger.forget(attempt.object());
            }
            Span span = healthSpans.get(attempt);
            if (span != null && !Reasons.DEPENDENCY_NOT_READY.equals(failure.reason())) {
                span.setStatus(StatusCode.ERROR, failure.reason() + ": " + failure.message());
            }
            if (superseded(attempt)) {
                return;
            }
            if (Reasons.SUSPENDED.equals(failure.reason())) {
                states.succeeded(
                        attempt.object(), attempt.revision(), failure.reason(), failure.message());
                return;
            }
            Subject subject = Subject.load(client, attempt.object()).orElse(null);
            if (subject == null) {
                return;
            }
            writeStatus(
                    subject,
                    attempt,
                    status(attempt),
                    conditions ->
                            Conditions.set(
                                    conditions,
                                    Conditions.READY,
                                    false,
                                    failure.reason(),
                                    failure.message(),
                                    attempt.generation()));
            states.failed(
                    attempt.object(), attempt.revision(), failure.reason(), failure.message());
            // waiting on a dependency is news, not an error (Flux reports it as an info event)
            Alert.Severity severity =
                    Reasons.DEPENDENCY_NOT_READY.equals(failure.reason())
                            ? Alert.Severity.info
                            : Alert.Severity.error;
            publish(severity, failure.reason(), failure.message(), attempt, subject);
            verdicts.sendMessageAndAwait(
                    Envelopes.of(
                            attempt.object(),
                            Verdict.TYPE,
                            "health-service",
                            new Verdict(attempt, failure, release)));
        }
    }

    private Object lockOf(ObjectRef object) {
        return verdictLocks[Math.floorMod(object.hashCode(), verdictLocks.length)];
    }

    private static Map<String, Object> status(Attempt attempt) {
        Map<String, Object> status = new HashMap<>();
        status.put("observedGeneration", attempt.generation());
        if (attempt.requestedAt() != null) {
            status.put("lastHandledReconcileAt", attempt.requestedAt());
        }
        return status;
    }

    /** From the object as {@code subject} read it (read again only if it changed since). */
    private void writeStatus(
            Subject subject,
            Attempt attempt,
            Map<String, Object> fields,
            UnaryOperator<List<Condition>> conditions) {
        writeStatus(subject.type(), subject.live(), attempt, fields, conditions);
    }

    private <T extends HasMetadata> void writeStatus(
            Class<T> type,
            HasMetadata read,
            Attempt attempt,
            Map<String, Object> fields,
            UnaryOperator<List<Condition>> conditions) {
        StatusPatches.mergeConditions(
                client,
                type,
                attempt.object().namespace(),
                attempt.object().name(),
                type.cast(read),
                Subject::conditionsOf,
                conditions,
                fields);
    }

    private void publish(
            Alert.Severity severity,
            String reason,
            String message,
            Attempt attempt,
            Subject subject) {
        alerts.publish(
                new Alert(
                        severity,
                        reason,
                        message,
                        attempt.object(),
                        attempt.revision(),
                        Instant.now()),
                subject.live(),
                subject.interval());
    }

    private static String identity(AppliedObject object) {
        return object.apiVersion() + " " + object.display();
    }

    private static String describe(Map<AppliedObject, Readiness> notReady) {
        return notReady.entrySet().stream()
                .map(e -> e.getKey().display() + ": " + e.getValue().message())
                .collect(Collectors.joining(", "));
    }
}
