package io.sluice.apply.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.sluice.apply.ApplyConfig;
import io.sluice.contracts.events.ObjectRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Many owners in flight, each one's work in the order it came: work for an owner starts when its
 * previous work ended (however that ended), so one owner's long hook wait holds up only that owner.
 * Every step for an owner (apply, verdict, deletion) runs here, so none of them ever runs beside
 * another for the same owner. Work is cut short (its thread interrupted) when the service stops,
 * and when its owner leaves this replica ({@link #cutShort(Predicate, Duration)}).
 */
@ApplicationScoped
public class OwnerLanes {
    private static final Logger LOG = Logger.getLogger(OwnerLanes.class);

    private final ExecutorService workers;
    private final Map<ObjectRef, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<Thread, Running> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** The work a lane thread runs now: whose, whether it was cut short, and when it ended. */
    private static final class Running {
        final ObjectRef owner;
        final Thread thread = Thread.currentThread();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile boolean cut;

        Running(ObjectRef owner) {
            this.owner = owner;
        }
    }

    public OwnerLanes(ApplyConfig config) {
        workers =
                Executors.newFixedThreadPool(
                        lanes(config),
                        r -> {
                            Thread t = new Thread(r, "owner-lane");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** {@code sluice.apply.concurrent}, refused unless it is at least 1. */
    static int lanes(ApplyConfig config) {
        if (config.concurrent() < 1) {
            throw new IllegalArgumentException(
                    "sluice.apply.concurrent (SLUICE_APPLY_CONCURRENT) must be at least 1, not "
                            + config.concurrent());
        }
        return config.concurrent();
    }

    /**
     * Runs {@code work} after the owner's earlier work; the future fails with a {@link
     * CancellationException} when the work was cut short because its owner left this replica.
     */
    public CompletableFuture<Void> submit(ObjectRef owner, Runnable work) {
        CompletableFuture<Void> next =
                tails.compute(
                        owner,
                        (key, tail) ->
                                (tail == null
                                                ? CompletableFuture.<Void>completedFuture(null)
                                                : tail)
                                        .handle((done, error) -> null)
                                        .thenRunAsync(() -> run(owner, work), workers));
        next.whenComplete((done, error) -> tails.remove(owner, next));
        return next;
    }

    private void run(ObjectRef owner, Runnable work) {
        Running current = new Running(owner);
        running.put(current.thread, current);
        try {
            work.run();
        } finally {
            synchronized (current) {
                running.remove(current.thread);
                Thread.interrupted(); // an interrupt meant for this work only
            }
            current.ended.complete(null);
        }
        if (current.cut) {
            throw new CancellationException(owner + " left this replica: its work was cut short");
        }
    }

    /**
     * True when the work running on this thread is cut short: the service is stopping, or its owner
     * left this replica. What is cut short is no failure of the owner's and is not reported or
     * acknowledged: it is done again after the restart, or by the owner's new replica.
     */
    public boolean cutShort() {
        if (stopping) {
            return true;
        }
        Running current = running.get(Thread.currentThread());
        return current != null && current.cut;
    }

    /**
     * Cuts short the work running for the owners {@code leaving} picks, and waits until it ended,
     * at most {@code wait}: called as their partitions are revoked, before Kafka gives them to
     * another replica, so that no two replicas ever work on one owner at once (a Helm upgrade, an
     * inventory write). Work of theirs not started yet finds them not owned when it starts.
     */
    public void cutShort(Predicate<ObjectRef> leaving, Duration wait) {
        List<Running> leavingWork =
                running.values().stream().filter(r -> leaving.test(r.owner)).toList();
        for (Running work : leavingWork) {
            synchronized (work) {
                if (running.get(work.thread) == work) {
                    work.cut = true;
                    work.thread.interrupt();
                }
            }
        }
        if (leavingWork.isEmpty()) {
            return;
        }
        LOG.infof(
                "cutting short the work of %s, whose partitions leave this replica",
                leavingWork.stream().map(r -> r.owner).toList());
        try {
            CompletableFuture.allOf(
                            leavingWork.stream()
                                    .map(r -> r.ended)
                                    .toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf(
                    "work of %s still running %s after it was cut short: its partitions go on",
                    leavingWork.stream().filter(r -> !r.ended.isDone()).map(r -> r.owner).toList(),
                    wait);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never: ended only ever completes normally
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        workers.shutdownNow();
    }
}
