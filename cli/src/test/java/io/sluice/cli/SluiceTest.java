package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Failures are answered as the flux CLI answers them: one ✗ line on stderr, exit 1. */
class SluiceTest {
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine()
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void aBadObjectIsNamedWithoutAStackTrace() {
        assertThat(run("trace", "deployment/web", "--jaeger-url", "http://127.0.0.1:9"))
                .isEqualTo(1);
        assertThat(err.toString())
                .startsWith("✗ 'deployment/web' is not <kind>/<name>")
                .doesNotContain("at io.sluice");
    }

    @Test
    void anUnknownFlagIsNamedWithTheWayToUsage() {
        assertThat(run("alerts", "--colour")).isEqualTo(1);
        assertThat(err.toString())
                .contains("✗ Unknown option: '--colour'")
                .contains("Run 'sluice alerts --help' for usage.");
    }

    @Test
    void logsWithoutTheirDirectorySayWhereToFindIt() {
        assertThat(run("logs", "--log-dir", "/nonexistent/sluice-logs")).isEqualTo(1);
        assertThat(err.toString()).contains("✗ no log directory").contains("SLUICE_LOG_DIR");
    }
}
