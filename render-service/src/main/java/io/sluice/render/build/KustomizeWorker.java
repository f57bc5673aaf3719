package io.sluice.render.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One long-lived {@code kustomize sluice-worker} process (the pinned build of
 * deploy/local/kustomize): builds one directory at a time, each exactly as {@code kustomize build
 * --load-restrictor LoadRestrictionsNone} would, without starting a process per build. A JSON line
 * asks, a JSON line answers. A build that overruns its timeout kills the worker.
 */
final class KustomizeWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROTOCOL = "sluice-worker/1";
    private static final ScheduledExecutorService TIMEOUTS =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "kustomize-worker-timeouts");
                        t.setDaemon(true);
                        return t;
                    });

    /** The worker died or could not be started: the caller builds with the CLI instead. */
    static final class Gone extends IOException {
        Gone(String message) {
            super(message);
        }
    }

    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;

    private KustomizeWorker(Process process) {
        this.process = process;
        this.requests =
                new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.answers =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * A started worker, or empty when {@code binary} has no worker (a kustomize other than Sluice's
     * pinned build, which fails on the unknown command); an {@link IOException} when this one could
     * not start (the next build tries again).
     */
    static Optional<KustomizeWorker> start(String binary) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(binary, "sluice-worker")
                        // deprecation warnings and the like: the CLI path does not report them
                        // either
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
        // a long-lived Go process keeps its heap's high-water mark unless told to give memory
        // back: it shares render-service's memory limit
        builder.environment().put("GOMEMLIMIT", "128MiB");
        Process process = builder.start();
        KustomizeWorker worker = new KustomizeWorker(process);
        try {
            JsonNode hello = worker.answer(Duration.ofSeconds(30));
            if (PROTOCOL.equals(hello.path("ready").asText())) {
                return Optional.of(worker);
            }
        } catch (Gone e) {
            // it exited or said something else: no worker in this binary
        } catch (BuildException e) {
            throw new IOException("the kustomize worker did not start: " + e.getMessage());
        }
        worker.close();
        return Optional.empty();
    }

    /**
     * The built YAML; {@link BuildException} for a build that failed (the worker stays good) or
     * overran {@code timeout} (the worker is killed); {@link Gone} when the worker died.
     */
    String build(Path dir, Duration timeout) throws BuildException, Gone {
        try {
            requests.write(JSON.writeValueAsString(Map.of("dir", dir.toString())));
            requests.write('\n');
            requests.flush();
        } catch (IOException e) {
            throw new Gone("the kustomize worker is gone: " + e.getMessage());
        }
        JsonNode answer = answer(timeout);
        if (answer.hasNonNull("error")) {
            throw new BuildException("kustomize build failed: " + answer.get("error").asText());
        }
        return answer.path("yaml").asText("");
    }

    private JsonNode answer(Duration timeout) throws BuildException, Gone {
        AtomicBoolean overran = new AtomicBoolean();
        ScheduledFuture<?> watchdog =
                TIMEOUTS.schedule(
                        () -> {
                            overran.set(true);
                            process.destroyForcibly();
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        String line;
        try {
            line = answers.readLine();
        } catch (IOException e) {
            line = null;
        } finally {
            watchdog.cancel(false);
        }
        if (overran.get()) {
            throw new BuildException(
                    "kustomize build timed out after " + timeout.toSeconds() + "s");
        }
        if (line == null) {
            throw new Gone("the kustomize worker exited");
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new Gone("the kustomize worker answered something unreadable");
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
