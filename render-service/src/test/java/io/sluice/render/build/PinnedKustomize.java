package io.sluice.render.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The kustomize the tests compare against: the pinned build of deploy/local/kustomize/build (built
 * once, cached).
 */
public final class PinnedKustomize {
    private static String binary;
    private static KustomizeRunner runner;

    private PinnedKustomize() {}

    public static synchronized KustomizeRunner runner() {
        if (runner == null) {
            runner = new KustomizeRunner(List.of(binary(), "build"));
        }
        return runner;
    }

    /** The pinned binary's path. */
    public static synchronized String binary() {
        if (binary == null) {
            try {
                Process build =
                        new ProcessBuilder(
                                        Path.of("../deploy/local/kustomize/build")
                                                .toAbsolutePath()
                                                .toString())
                                .redirectError(ProcessBuilder.Redirect.INHERIT)
                                .start();
                binary =
                        new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .strip();
                if (build.waitFor() != 0) {
                    throw new IllegalStateException("deploy/local/kustomize/build failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return binary;
    }
}
