package io.sluice.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Sluice service run as users run it: {@code java -jar quarkus-run.jar}, configured by
 * environment variables.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final Path pids;
    private Process process;

    /**
     * @param port the loopback port it listens on (kept across the stack's restarts of it)
     * @param pids where each started process's pid is recorded, for deploy/local/stop-processes and
     *     its watchdog
     */
    ServiceProcess(String name, Path jar, int port, Map<String, String> env, Path log, Path pids) {
        this.pids = pids;
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // as the images run: glibc's arena per thread would hold freed memory apart for each
        this.env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        this.log = log;
    }

    public String name() {
        return name;
    }

    /** Where its output goes, across its restarts. */
    public Path log() {
        return log;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Sets a variable for the next start (the source service learns its own URL only once its port
     * is chosen).
     */
    public void environment(String variable, String value) {
        env.put(variable, value);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * What this replica owns, as its {@code GET /admin/ownership} answers: {@code topic}, {@code
     * partitions}, {@code owned} (partition numbers), {@code rebalances}.
     */
    public JsonNode ownership() throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url() + "/admin/ownership"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(name + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    public ServiceProcess start() throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(
                                List.of(
                                        "java",
                                        // the heap grows as its live set needs (the default
                                        // initial heap here, 1/64 of the machine's memory,
                                        // would be all of -Xmx, filled before any full GC)
                                        "-Xms16m",
                                        "-Xmx192m",
                                        // as the images run (ServiceImage's JAVA_OPTIONS)
                                        "-XX:MinHeapFreeRatio=10",
                                        "-XX:MaxHeapFreeRatio=20",
                                        "-XX:MaxNewSize=24m",
                                        "-XX:+UseSerialGC",
                                        "-XX:TieredStopAtLevel=1",
                                        classArchiveOption(),
                                        // the dump lists every class it skips, as a warning
                                        "-Xlog:cds*=off",
                                        "-jar",
                                        jar.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        process = builder.start();
        Files.writeString(
                pids,
                process.pid() + " " + name + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return this;
    }

    /** Waits for {@code /q/health/ready}; fails early if the process died. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready =
                HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(
                        name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready within " + timeout.toSeconds() + "s; see " + log);
    }

    /** SIGTERM without waiting: a graceful stop that {@link #stop()} then waits for. */
    public void signalStop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            signalStop();
            if (process.waitFor(20, TimeUnit.SECONDS)) {
                keepClassArchive();
            } else {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The classes a start loads are archived (dynamic AppCDS) by the first process of a build that
     * stops gracefully, and mapped by every later start: a start of the four services, which is CPU
     * bound on two cores, takes seconds less. An archive older than the jar is from an earlier
     * build and is written again.
     */
    private String classArchiveOption() throws IOException {
        Path archive = classArchive();
        boolean current =
                Files.exists(archive)
                        && Files.getLastModifiedTime(archive)
                                        .compareTo(Files.getLastModifiedTime(jar))
                                > 0;
        return current
                ? "-XX:SharedArchiveFile=" + archive
                : "-XX:ArchiveClassesAtExit=" + classArchiveBeingWritten();
    }

    private void keepClassArchive() {
        Path written = classArchiveBeingWritten();
        try {
            if (Files.exists(written)) {
                Files.move(written, classArchive(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            System.err.println("no class archive kept for " + name + ": " + e);
        }
    }

    private Path classArchive() {
        return jar.resolveSibling("sluice-classes.jsa");
    }

    /** One per replica: two replicas of a service may stop together. */
    private Path classArchiveBeingWritten() {
        return jar.resolveSibling("sluice-classes.jsa." + name);
    }

    /** {@code kill -9}: no shutdown hook, no last commit, no goodbye to the consumer group. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
