package io.sluice.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real flux CLI (the pinned build of {@code deploy/local/flux/build}) against the stack. */
final class FluxCli {
    record Result(int exitCode, String output) {}

    private static String binary;

    private FluxCli() {}

    /** Runs {@code flux <args>} with the stack's kubeconfig; output is stdout and stderr. */
    static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary(), "--kubeconfig"));
        command.add(LocalStackExtension.stack().kubeconfig().toString());
        command.addAll(List.of(args));
        java.nio.file.Path out = java.nio.file.Files.createTempFile("flux-", ".out");
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile())
                            .start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("flux " + String.join(" ", args) + " hung");
            }
            return new Result(
                    process.exitValue(),
                    java.nio.file.Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    private static synchronized String binary() throws Exception {
        if (binary == null) {
            binary = Launcher.output(Path.of("../deploy/local/flux/build").toAbsolutePath());
        }
        return binary;
    }
}
