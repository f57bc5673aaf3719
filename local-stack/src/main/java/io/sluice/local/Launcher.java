package io.sluice.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of the launcher scripts in {@code deploy/local} (the same ones {@code deploy/local/up}
 * uses) and returns the last line it printed. The processes it starts are tied to this JVM: they
 * stop when it exits, however it exits.
 */
final class Launcher {
    private Launcher() {}

    static String run(Path script, Path runDir, Path log, String... options)
            throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                script.toString(),
                                runDir.toString(),
                                "--watch-pid",
                                String.valueOf(ProcessHandle.current().pid())));
        command.addAll(List.of(options));
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (process.waitFor() != 0) {
            throw new IOException(
                    script.getFileName()
                            + " failed (exit "
                            + process.exitValue()
                            + "); see "
                            + log);
        }
        String[] lines = output.split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Runs a build script and returns the path it printed. */
    static String output(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (process.waitFor() != 0) {
            throw new IOException(script + " failed (exit " + process.exitValue() + ")");
        }
        return output;
    }

    static void stop(Path repoRoot, Path runDir) {
        stop(repoRoot.resolve("deploy/local/stop-processes"), runDir, "processes");
    }

    /** Runs a stop script on {@code runDir}; a failure to run it is reported, not thrown. */
    static void stop(Path script, Path runDir, String what) {
        try {
            new ProcessBuilder(script.toString(), runDir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            System.err.println("could not stop " + what + " in " + runDir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code dir} and all below it, if it exists. */
    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
