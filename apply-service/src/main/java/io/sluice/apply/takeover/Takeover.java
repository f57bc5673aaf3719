package io.sluice.apply.takeover;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.apply.drift.DesiredState;
import io.sluice.apply.helm.HelmReleaseReconciler;
import io.sluice.apply.owner.OwnerCache;
import io.sluice.apply.owner.OwnerView;
import io.sluice.apply.pipeline.OwnerLanes;
import io.sluice.apply.pipeline.RenderedManifestsApplier;
import io.sluice.apply.prune.OwnerFinalizer;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.events.TextRecords;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.GoDuration;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import io.sluice.contracts.ownership.TopicTail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What a replica does when owners come to it or leave it (see {@link Ownership}). One that leaves:
 * its work running here is cut short first, then all this replica knew of it is dropped, so it
 * never corrects drift to a revision the new owner has replaced, nor retries an attempt. One that
 * comes: its finalizer is looked at (a deletion while no replica owned it is finalized now), and a
 * Kustomization's last render from before is applied again, so that its objects are kept as applied
 * from the takeover on, not from its next render.
 */
@ApplicationScoped
public class Takeover {
    private static final Logger LOG = Logger.getLogger(Takeover.class);

    /** Renders older than an owner's interval and this are not read: a newer one came since. */
    private static final Duration SLACK = Duration.ofMinutes(2);

    private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    /**
     * How long a revocation waits for the work it cut short: an interrupted request ends at once;
     * well within the rebalance timeout (max.poll.interval.ms, 5 minutes).
     */
    private static final Duration CUT_SHORT_WAIT = Duration.ofSeconds(30);

    private final Ownership ownership;
    private final OwnerCache owners;
    private final OwnerFinalizer finalizer;
    private final RenderedManifestsApplier applier;
    private final DesiredState desired;
    private final HelmReleaseReconciler helmReleases;
    private final OwnerLanes lanes;
    private final ObjectMapper json;

    /** Off the consumer's poll thread, which the rebalance callbacks run on; one at a time. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "takeover");
                        t.setDaemon(true);
                        return t;
                    });

    public Takeover(
            Ownership ownership,
            OwnerCache owners,
            OwnerFinalizer finalizer,
            RenderedManifestsApplier applier,
            DesiredState desired,
            HelmReleaseReconciler helmReleases,
            OwnerLanes lanes,
            ObjectMapper json) {
        this.ownership = ownership;
        this.owners = owners;
        this.finalizer = finalizer;
        this.applier = applier;
        this.desired = desired;
        this.helmReleases = helmReleases;
        this.lanes = lanes;
        this.json = json;
    }

    /**
     * On the consumer's poll thread, before any record of the partitions that came is handed on.
     */
    void onChange(@Observes OwnershipChange change) {
        if (!change.revoked().isEmpty()) {
            // before the partitions go to another replica, which Kafka holds back until this
            // callback returns: a Helm upgrade or an apply never runs on both at once
            lanes.cutShort(ref -> !ownership.owns(ref), CUT_SHORT_WAIT);
            forget(ref -> !ownership.owns(ref));
        }
        if (!change.assigned().isEmpty()) {
            // what is left from an earlier time this replica had them (work that ended after they
            // left) is older than what comes now
            forget(change::cameWith);
            worker.execute(() -> takeOver(change));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    private void forget(Predicate<ObjectRef> which) {
        Set<ObjectRef> known = new HashSet<>(applier.known());
        known.addAll(desired.owners());
        known.addAll(helmReleases.known());
        for (ObjectRef ref : known) {
            if (which.test(ref)) {
                applier.forget(ref);
                desired.forget(ref);
                helmReleases.forget(ref);
            }
        }
    }

    private void takeOver(OwnershipChange change) {
        // the informers list what there is at startup, maybe after the first assignment
        owners.started().join();
        List<OwnerView> came =
                owners.all().stream()
                        .filter(view -> change.cameWith(view.ref()) && ownership.owns(view.ref()))
                        .toList();
        came.forEach(finalizer::look);
        List<OwnerView> kustomizations =
                came.stream()
                        .filter(view -> Kustomization.KIND.equals(view.ref().kind()))
                        .filter(view -> !view.deleting() && !view.suspended())
                        .toList();
        Duration window =
                kustomizations.stream()
                        .map(Takeover::interval)
                        .max(Duration::compareTo)
                        .orElse(null);
        if (window == null) {
            return;
        }
        Set<String> keys =
                kustomizations.stream().map(view -> view.ref().key()).collect(Collectors.toSet());
        Map<ObjectRef, RenderResult> last = new HashMap<>();
        try {
            TopicTail.lastBefore(
                            change,
                            Instant.now().minus(window).minus(SLACK),
                            keys::contains,
                            "apply-service-rendered-tail")
                    .values()
                    .forEach(
                            value -> {
                                RenderResult rendered =
                                        TextRecords.parse(json, value, RenderResult.class);
                                if (rendered != null && rendered.attempt() != null) {
                                    last.put(rendered.attempt().object(), rendered);
                                }
                            });
        } catch (RuntimeException e) {
            // each owner is rendered again at its interval: the takeover heals then
            LOG.warnf(
                    "could not read the renders before partitions %s: %s",
                    change.assigned().keySet(), e.toString());
            return;
        }
        int replayed = 0;
        for (OwnerView view : kustomizations) {
            RenderResult rendered = last.get(view.ref());
            // a render of an older spec is not applied: the spec's own render is coming
            if (rendered != null
                    && rendered.failure() == null
                    && rendered.attempt().generation() == view.generation()) {
                applier.replay(rendered);
                replayed++;
            }
        }
        LOG.infof(
                "took over partitions %s: %d owners, %d last renders applied again",
                change.assigned().keySet(), came.size(), replayed);
    }

    private static Duration interval(OwnerView view) {
        Object spec = view.object().get().get("spec");
        Object interval = spec instanceof Map<?, ?> fields ? fields.get("interval") : null;
        return GoDuration.parse(interval == null ? null : interval.toString(), DEFAULT_INTERVAL);
    }
}
