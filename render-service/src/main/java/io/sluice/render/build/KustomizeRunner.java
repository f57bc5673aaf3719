package io.sluice.render.build;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jboss.logging.Logger;

/**
 * Runs the real kustomize: Sluice does not reimplement kustomize, so overlays build exactly as they
 * do for Flux users today. Which one: {@code $SLUICE_KUSTOMIZE} (the pinned build of {@code
 * deploy/local/kustomize/build}, which the local stack and the tests use), else {@code kustomize}
 * on the PATH, else {@code kubectl kustomize}. Builds go to long-lived workers when the binary has
 * them (the pinned build does: see deploy/local/kustomize/main.go), one per render running at once;
 * a worker that dies is replaced, and the build it was doing runs as a process instead.
 */
public final class KustomizeRunner {
    private static final Logger LOG = Logger.getLogger(KustomizeRunner.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final PinnedTool kustomize;
    private final String binary;
    private final ConcurrentLinkedDeque<KustomizeWorker> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean workersAvailable;

    /**
     * {@code command}: the words that build a directory given last, e.g. {@code kustomize build}.
     */
    public KustomizeRunner(List<String> command) {
        this.kustomize = new PinnedTool(command);
        this.workersAvailable = command.size() == 2 && command.get(1).equals("build");
        this.binary = command.get(0);
    }

    public static KustomizeRunner locate() {
        String pinned = System.getenv("SLUICE_KUSTOMIZE");
        if (pinned != null && !pinned.isBlank()) {
            return new KustomizeRunner(List.of(pinned, "build"));
        }
        return new KustomizeRunner(
                PinnedTool.onPath("kustomize")
                        ? List.of("kustomize", "build")
                        : List.of("kubectl", "kustomize"));
    }

    public String build(Path dir) throws BuildException {
        Optional<String> built = byWorker(dir);
        if (built.isPresent()) {
            return built.get();
        }
        // As Flux builds: files anywhere inside the artifact may be loaded (ReferenceGuard has
        // already kept every reference inside it), not only below the kustomization's own
        // directory.
        return kustomize.run(
                "kustomize build",
                List.of("--load-restrictor", "LoadRestrictionsNone", dir.toString()),
                TIMEOUT);
    }

    /** The build by an idle (or new) worker; empty when there is none to do it. */
    private Optional<String> byWorker(Path dir) throws BuildException {
        if (!workersAvailable) {
            return Optional.empty();
        }
        KustomizeWorker worker = idle.pollFirst();
        try {
            if (worker == null || !worker.alive()) {
                worker = KustomizeWorker.start(binary).orElse(null);
                if (worker == null) {
                    LOG.infof("%s has no build worker: each build runs it as a process", binary);
                    workersAvailable = false;
                    return Optional.empty();
                }
            }
            String yaml = worker.build(dir, TIMEOUT);
            idle.offerFirst(worker);
            return Optional.of(yaml);
        } catch (KustomizeWorker.Gone e) {
            LOG.warnf("%s; the build of %s runs as a process, and a new worker follows", e, dir);
            worker.close();
            return Optional.empty();
        } catch (BuildException e) {
            if (worker.alive()) {
                idle.offerFirst(worker);
            }
            throw e;
        } catch (IOException e) {
            LOG.warnf("cannot start a kustomize worker (%s): this build runs as a process", e);
            return Optional.empty();
        }
    }
}
