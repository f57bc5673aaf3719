package io.sluice.render.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real kustomize: Sluice does not reimplement kustomize, so overlays build exactly as they do for Flux users
 * today. Which one: {@code $SLUICE_KUSTOMIZE} (the pinned build of {@code deploy/local/kustomize/build}, which the
 * local stack and the tests use), else {@code kustomize} on the PATH, else {@code kubectl kustomize}.
 */
public final class KustomizeRunner {
    private final List<String> command;

    public KustomizeRunner(List<String> command) {
        this.command = command;
    }

    public static KustomizeRunner locate() {
        String pinned = System.getenv("SLUICE_KUSTOMIZE");
        if (pinned != null && !pinned.isBlank()) {
            return new KustomizeRunner(List.of(pinned, "build"));
        }
        return new KustomizeRunner(onPath("kustomize") ? List.of("kustomize", "build") : List.of("kubectl", "kustomize"));
    }

    public String build(Path dir) throws BuildException {
        List<String> args = new ArrayList<>(command);
        // As Flux builds: files anywhere inside the artifact may be loaded (ReferenceGuard has already kept every
        // reference inside it), not only below the kustomization's own directory.
        args.addAll(List.of("--load-restrictor", "LoadRestrictionsNone", dir.toString()));
        try {
            Process process = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new BuildException("kustomize build timed out after 2m");
            }
            if (process.exitValue() != 0) {
                throw new BuildException("kustomize build failed: " + err.join().strip());
            }
            return out.join();
        } catch (IOException e) {
            throw new BuildException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while building");
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }
}
