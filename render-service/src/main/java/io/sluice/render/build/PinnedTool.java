package io.sluice.render.build;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of the Go tools Flux's behaviour lives in (kustomize, helm), run as a process: Sluice runs
 * the real code rather than a port. The pinned build named by an environment variable (the local
 * stack and the tests set it to the builds of {@code deploy/local/<tool>/build}), else the binary
 * on the PATH.
 */
public final class PinnedTool {
    private final List<String> command;
    private final Map<String, String> added;

    /** {@code command}: the words that start it, e.g. {@code kustomize build}. */
    public PinnedTool(List<String> command) {
        this(command, Map.of());
    }

    private PinnedTool(List<String> command, Map<String, String> added) {
        this.command = List.copyOf(command);
        this.added = Map.copyOf(added);
    }

    /** The same tool, run with {@code name=value} added to its environment. */
    public PinnedTool withVariable(String name, String value) {
        Map<String, String> variables = new HashMap<>(added);
        variables.put(name, value);
        return new PinnedTool(command, variables);
    }

    /** {@code $variable} if set, else {@code binary} from the PATH. */
    public static PinnedTool locate(String variable, String binary) {
        String pinned = System.getenv(variable);
        return new PinnedTool(List.of(pinned != null && !pinned.isBlank() ? pinned : binary));
    }

    /**
     * Runs it with {@code args}; its standard output, or its standard error as the failure of
     * {@code what}.
     */
    public String run(String what, List<String> args, Duration timeout) throws BuildException {
        return run(what, args, null, timeout);
    }

    /**
     * As above, with only {@code environment} (and {@code PATH}) for environment when it is given:
     * a tool handed key material reads nothing of this process's own environment or home.
     */
    public String run(
            String what, List<String> args, Map<String, String> environment, Duration timeout)
            throws BuildException {
        List<String> full = new ArrayList<>(command);
        full.addAll(args);
        Process process = null;
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(full)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (environment != null) {
                String path = builder.environment().get("PATH");
                builder.environment().clear();
                if (path != null) {
                    builder.environment().put("PATH", path);
                }
                builder.environment().putAll(environment);
            }
            builder.environment().putAll(added);
            process = builder.start();
            Process started = process;
            CompletableFuture<String> out =
                    CompletableFuture.supplyAsync(() -> read(started.getInputStream()));
            CompletableFuture<String> err =
                    CompletableFuture.supplyAsync(() -> read(started.getErrorStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BuildException(what + " timed out after " + timeout.toSeconds() + "s");
            }
            if (process.exitValue() != 0) {
                throw new BuildException(what + " failed: " + err.join().strip());
            }
            return out.join();
        } catch (IOException e) {
            throw new BuildException(
                    "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            // the render was cancelled: the tool goes with it
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted during " + what);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
}
