package io.sluice.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The pinned Jaeger ({@code deploy/local/jaeger/start}, in-memory storage) on loopback: the
 * services export their spans to its OTLP gRPC receiver, and people and tests read them through its
 * HTTP query API ({@code /api/traces}).
 */
public final class Jaeger implements AutoCloseable {
    private final Path repoRoot;
    private final Path runDir;
    private final String otlpEndpoint;
    private final String queryUrl;

    private Jaeger(Path repoRoot, Path runDir, String otlpEndpoint, String queryUrl) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.otlpEndpoint = otlpEndpoint;
        this.queryUrl = queryUrl;
    }

    public static Jaeger start(Path repoRoot, Path runDir)
            throws IOException, InterruptedException {
        String[] endpoints =
                Launcher.run(
                                repoRoot.resolve("deploy/local/jaeger/start"),
                                runDir,
                                runDir.getParent().resolve("jaeger-start.log"))
                        .split(" ");
        return new Jaeger(repoRoot, runDir, endpoints[0], endpoints[1]);
    }

    /** Where the services send spans (OTLP over gRPC). */
    public String otlpEndpoint() {
        return otlpEndpoint;
    }

    /** The query API and the (placeholder) UI page. */
    public String url() {
        return queryUrl;
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
