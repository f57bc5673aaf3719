package io.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Flux's own Go code as a test oracle: a small program in {@code src/test/go/<name>}, compiled with
 * the machine's Go (modules from the Go module proxy) into {@code target/<name>-oracle}.
 */
public final class GoOracle {
    private GoOracle() {}

    /** Builds the oracle program {@code name}; the binary's path. */
    public static Path build(String name) throws Exception {
        Path source = Path.of("src/test/go", name).toAbsolutePath();
        Path oracle = Path.of("target", name + "-oracle").toAbsolutePath();
        Process build =
                new ProcessBuilder("go", "build", "-o", oracle.toString(), ".")
                        .directory(source.toFile())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(build.waitFor()).as("go build of the oracle: " + log).isZero();
        return oracle;
    }
}
