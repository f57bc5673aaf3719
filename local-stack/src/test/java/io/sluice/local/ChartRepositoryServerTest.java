package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real helm client (the pinned CLI) pulls the fixture charts from the local chart repository by
 * version range.
 */
class ChartRepositoryServerTest {
    private static final Path CHARTS =
            Path.of("../../shared/fixtures/charts").toAbsolutePath().normalize();

    @TempDir Path tmp;

    @Test
    void helmPullsChartsByRangeFromTheGeneratedIndex() throws Exception {
        String helm = Launcher.output(Path.of("../deploy/local/helm/build").toAbsolutePath());
        try (ChartRepositoryServer repository = new ChartRepositoryServer(CHARTS)) {
            for (String[] chart :
                    new String[][] {
                        {"podinfo", "6.x"},
                        {"traefik", "33.2.1"},
                        {"metrics-server", ">=3.0.0"},
                        {"ingress-nginx", "*"}
                    }) {
                Process pull =
                        new ProcessBuilder(
                                        helm,
                                        "pull",
                                        chart[0],
                                        "--repo",
                                        repository.url(),
                                        "--version",
                                        chart[1],
                                        "--destination",
                                        tmp.toString())
                                .redirectErrorStream(true)
                                .start();
                String out =
                        new String(pull.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(pull.waitFor()).as("helm pull " + chart[0] + ": " + out).isZero();
            }
        }
        try (var pulled = Files.list(tmp)) {
            assertThat(pulled.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
                            "ingress-nginx-4.15.1.tgz",
                            "metrics-server-3.13.0.tgz",
                            "podinfo-6.9.4.tgz",
                            "traefik-33.2.1.tgz");
        }
    }
}
