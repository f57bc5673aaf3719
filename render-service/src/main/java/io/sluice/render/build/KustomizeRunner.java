package io.sluice.render.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs the real kustomize: Sluice does not reimplement kustomize, so overlays build exactly as they
 * do for Flux users today. Which one: {@code $SLUICE_KUSTOMIZE} (the pinned build of {@code
 * deploy/local/kustomize/build}, which the local stack and the tests use), else {@code kustomize}
 * on the PATH, else {@code kubectl kustomize}.
 */
public final class KustomizeRunner {
    private final PinnedTool kustomize;

    /**
     * {@code command}: the words that build a directory given last, e.g. {@code kustomize build}.
     */
    public KustomizeRunner(List<String> command) {
        this.kustomize = new PinnedTool(command);
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
        // As Flux builds: files anywhere inside the artifact may be loaded (ReferenceGuard has
        // already kept every
        // reference inside it), not only below the kustomization's own directory.
        return kustomize.run(
                "kustomize build",
                List.of("--load-restrictor", "LoadRestrictionsNone", dir.toString()),
                Duration.ofMinutes(2));
    }
}
