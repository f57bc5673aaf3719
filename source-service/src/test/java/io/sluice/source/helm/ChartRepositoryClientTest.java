package io.sluice.source.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.sluice.source.artifact.ArtifactStore;
import io.sluice.source.artifact.StoredArtifact;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real chart repository over HTTP (index.yaml plus the fixture charts), as Helm and Flux read
 * one.
 */
class ChartRepositoryClientTest {
    private static final Path CHARTS =
            Path.of("../../shared/fixtures/charts").toAbsolutePath().normalize();
    @TempDir Path tmp;
    private HttpServer server;
    private String url;
    private String podinfoDigest;

    @BeforeEach
    void serve() throws Exception {
        podinfoDigest =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(
                                                Files.readAllBytes(
                                                        CHARTS.resolve("podinfo-6.9.4.tgz"))));
        String index =
                """
                apiVersion: v1
                entries:
                  podinfo:
                  - name: podinfo
                    version: 6.9.4
                    digest: %s
                    urls: [podinfo-6.9.4.tgz]
                  - name: podinfo
                    version: 6.10.0-rc.1
                    urls: [podinfo-6.9.4.tgz]
                  - name: podinfo
                    version: 5.2.1
                    urls: [podinfo-6.9.4.tgz]
                  traefik:
                  - name: traefik
                    version: 33.2.1
                    digest: 0000000000000000000000000000000000000000000000000000000000000000
                    urls: [charts/traefik-33.2.1.tgz]
                """
                        .formatted(podinfoDigest);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/charts/",
                exchange -> {
                    String file =
                            exchange.getRequestURI()
                                    .getPath()
                                    .replaceFirst("^/charts/(charts/)?", "");
                    byte[] body =
                            file.equals("index.yaml")
                                    ? index.getBytes(StandardCharsets.UTF_8)
                                    : Files.exists(CHARTS.resolve(file))
                                            ? Files.readAllBytes(CHARTS.resolve(file))
                                            : null;
                    exchange.sendResponseHeaders(
                            body == null ? 404 : 200, body == null ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        if (body != null) {
                            out.write(body);
                        }
                    }
                });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void resolvesRangesToTheHighestStableVersion() throws Exception {
        ChartIndex index = new ChartRepositoryClient(null, null).index(url);
        assertThat(index.resolve("podinfo", "6.9.4").version()).isEqualTo("6.9.4");
        assertThat(index.resolve("podinfo", "6.x").version()).isEqualTo("6.9.4");
        assertThat(index.resolve("podinfo", ">=5.0.0 <6.0.0").version()).isEqualTo("5.2.1");
        assertThat(index.resolve("podinfo", ">=5.0.0, <6.0.0").version()).isEqualTo("5.2.1");
        assertThat(index.resolve("podinfo", "*").version()).isEqualTo("6.9.4");
        assertThat(index.resolve("podinfo", null).version()).isEqualTo("6.9.4");
        assertThat(index.resolve("podinfo", "6.10.0-rc.1").version()).isEqualTo("6.10.0-rc.1");
    }

    @Test
    void aMissingChartOrVersionIsNamed() throws Exception {
        ChartIndex index = new ChartRepositoryClient(null, null).index(url);
        assertThatThrownBy(() -> index.resolve("cert-manager", "1.x"))
                .isInstanceOf(ChartNotFoundException.class)
                .hasMessage("chart 'cert-manager' not found in the repository index");
        assertThatThrownBy(() -> index.resolve("podinfo", "7.x"))
                .isInstanceOf(ChartNotFoundException.class)
                .hasMessage("no 'podinfo' chart with version matching '7.x' found");
    }

    @Test
    void downloadsTheChartAndChecksTheIndexDigest() throws Exception {
        ChartRepositoryClient client = new ChartRepositoryClient(null, null);
        ChartIndex index = client.index(url);
        ArtifactStore store = new ArtifactStore(tmp.resolve("artifacts"));
        StoredArtifact podinfo = client.download(url, index.resolve("podinfo", "6.x"), store);
        assertThat(podinfo.digest()).isEqualTo("sha256:" + podinfoDigest);
        assertThat(store.has(podinfo.digest())).isTrue();
        assertThatThrownBy(() -> client.download(url, index.resolve("traefik", "33.2.1"), store))
                .hasMessageContaining("the index says sha256:0000");
    }

    @Test
    void anUnreachableRepositoryNamesTheUrl() {
        server.stop(0);
        assertThatThrownBy(() -> new ChartRepositoryClient(null, null).index(url))
                .isInstanceOf(java.io.IOException.class);
    }
}
