package io.sluice.source.artifact;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes, every ten minutes, the stored artifacts that no source's status (in any namespace,
 * whichever replica owns it: equal content is one file) has named for an hour and that were stored
 * more than an hour ago: a render may still be fetching an artifact a newer one just replaced.
 * source-controller keeps each object's last two artifacts, and any for 60 s; here an object's
 * current one is kept, and a replaced one for an hour. When a list of sources fails, nothing is
 * deleted that round.
 */
@ApplicationScoped
public class ArtifactCollector {
    static final Duration KEPT_FOR = Duration.ofHours(1);
    private static final Duration EVERY = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(ArtifactCollector.class);

    private final NamedArtifacts named;
    private final ArtifactStore store;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "artifact-collector");
                        t.setDaemon(true);
                        return t;
                    });

    public ArtifactCollector(NamedArtifacts named, ArtifactStore store) {
        this.named = named;
        this.store = store;
    }

    void start(@Observes StartupEvent event) {
        timer.scheduleWithFixedDelay(
                this::collect, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    void collect() {
        try {
            int deleted = store.collect(named.byDigest().keySet(), KEPT_FOR);
            if (deleted > 0) {
                LOG.infof("deleted %d artifacts no status has named for %s", deleted, KEPT_FOR);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("artifacts not collected this time: %s", e.toString());
        }
    }
}
