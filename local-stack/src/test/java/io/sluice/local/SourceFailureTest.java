package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.kustomize.KustomizationStatus;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import io.sluice.contracts.source.GitRepositoryStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unreachable Git server is reported on the source, on what depends on it, and on the alerts
 * topic.
 */
@ExtendWith(LocalStackExtension.class)
class SourceFailureTest {
    private static final String NS = "source-failure";
    private static KubernetesClient client;
    private static String url;

    @BeforeAll
    static void unreachableSource() throws Exception {
        client = LocalStackExtension.stack().client();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        url = "http://127.0.0.1:" + closedPort + "/git/nowhere";
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(client, Manifests.gitRepository(NS, "unreachable", url, "1m"));
        Manifests.apply(client, Manifests.kustomization(NS, "orphan", "unreachable", "./"));
    }

    @Test
    void theSourceSaysItCannotFetchAndWhere() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                ready(
                                                        client.resources(GitRepository.class)
                                                                .inNamespace(NS)
                                                                .withName("unreachable")
                                                                .get()
                                                                .getStatus()))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("GitOperationFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(url)
                                                            .contains("branch 'main'");
                                                }));
    }

    @Test
    void theKustomizationWaitsForAnArtifactAndSaysSo() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                ready(
                                                        client.resources(Kustomization.class)
                                                                .inNamespace(NS)
                                                                .withName("orphan")
                                                                .get()
                                                                .getStatus()))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("ArtifactFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "GitRepository/"
                                                                            + NS
                                                                            + "/unreachable");
                                                }));
    }

    @Test
    void anErrorAlertNamesTheSource() {
        try (TopicReader alerts =
                new TopicReader(
                        LocalStackExtension.stack().kafkaBootstrapServers(), Topics.ALERTS)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    alerts.poll().stream()
                                            .anyMatch(
                                                    r ->
                                                            ("GitRepository/" + NS + "/unreachable")
                                                                            .equals(r.key())
                                                                    && r.value()
                                                                            .contains(
                                                                                    "\"severity\":\"error\"")
                                                                    && r.value()
                                                                            .contains(
                                                                                    "GitOperationFailed")));
        }
    }

    @Test
    void fetchDurationsAreExportedAsMetrics() throws Exception {
        String source = LocalStackExtension.stack().service("source-service").url();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                HttpClient.newHttpClient()
                                        .send(
                                                HttpRequest.newBuilder(
                                                                URI.create(source + "/q/metrics"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body()
                                        .lines()
                                        .anyMatch(
                                                l ->
                                                        l.startsWith(
                                                                        "sluice_reconcile_duration_seconds_count{")
                                                                && l.contains(
                                                                        "kind=\"GitRepository\"")
                                                                && l.contains("stage=\"fetch\"")));
    }

    private static Optional<Condition> ready(GitRepositoryStatus status) {
        return status == null
                ? Optional.empty()
                : Conditions.find(status.conditions, Conditions.READY);
    }

    private static Optional<Condition> ready(KustomizationStatus status) {
        return status == null
                ? Optional.empty()
                : Conditions.find(status.conditions, Conditions.READY);
    }
}
