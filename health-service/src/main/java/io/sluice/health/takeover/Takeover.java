package io.sluice.health.takeover;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.contracts.events.ApplyResult;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.TextRecords;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.ownership.OwnershipChange;
import io.sluice.contracts.ownership.TopicTail;
import io.sluice.health.verdict.VerdictPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * What a replica does when objects come to it or leave it (see {@link Ownership}). One that leaves:
 * what this replica knew of it is dropped, so a verdict still being waited for here is never
 * written. One that comes: its last apply result from before is judged again unless its status
 * already holds that verdict, so that a readiness wait lost with a replica that died (or with this
 * one, before a restart: results are acknowledged when they arrive) still ends in a verdict.
 */
@ApplicationScoped
public class Takeover {
    private static final Logger LOG = Logger.getLogger(Takeover.class);

    /**
     * How far back results are read: a result older than this is one whose verdict was written long
     * ago, or whose object has been applied again since (every object is, at its interval).
     */
    private static final Duration WINDOW = Duration.ofHours(1);

    private final Ownership ownership;
    private final VerdictPublisher publisher;
    private final ObjectMapper json;

    /** Off the consumer's poll thread, which the rebalance callbacks run on; one at a time. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "takeover");
                        t.setDaemon(true);
                        return t;
                    });

    public Takeover(Ownership ownership, VerdictPublisher publisher, ObjectMapper json) {
        this.ownership = ownership;
        this.publisher = publisher;
        this.json = json;
    }

    /**
     * On the consumer's poll thread, before any record of the partitions that came is handed on.
     */
    void onChange(@Observes OwnershipChange change) {
        if (!change.revoked().isEmpty()) {
            forget(publisher.known(), ref -> !ownership.owns(ref));
        }
        if (!change.assigned().isEmpty()) {
            // what is left from an earlier time this replica had them is older than what comes now
            forget(publisher.known(), change::cameWith);
            worker.execute(() -> takeOver(change));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    private void forget(Collection<ObjectRef> known, Predicate<ObjectRef> which) {
        known.stream().filter(which).forEach(publisher::forget);
    }

    private void takeOver(OwnershipChange change) {
        int judged = 0;
        try {
            for (String value :
                    TopicTail.lastBefore(
                                    change,
                                    Instant.now().minus(WINDOW),
                                    Takeover::judged,
                                    "health-service-applied-tail")
                            .values()) {
                ApplyResult result = TextRecords.parse(json, value, ApplyResult.class);
                if (result != null
                        && result.attempt() != null
                        && result.attempt().object() != null) {
                    publisher.replay(result);
                    judged++;
                }
            }
        } catch (RuntimeException e) {
            // each object is applied again at its interval, and judged then
            LOG.warnf(
                    "could not read the results before partitions %s: %s",
                    change.assigned().keySet(), e.toString());
            return;
        }
        LOG.infof(
                "took over partitions %s: %d last results looked at",
                change.assigned().keySet(), judged);
    }

    /** Keys of the objects health-service judges. */
    private static boolean judged(String key) {
        return key.startsWith(Kustomization.KIND + "/") || key.startsWith(HelmRelease.KIND + "/");
    }
}
