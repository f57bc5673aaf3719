package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker stopped for two minutes while a new commit goes from push to apply: nothing is applied
 * meanwhile (every hop needs Kafka), and once the broker is back all four services resume, without
 * a restart of any, and the commit is applied.
 */
@ExtendWith(LocalStackExtension.class)
class BrokerOutageTest {
    private static final String NS = "broker-outage";
    private static final Duration OUTAGE = Duration.ofMinutes(2);

    @Test
    void aCommitPushedDuringABrokerOutageIsAppliedOnceTheBrokerIsBackWithoutRestartingAnyService()
            throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create("broker-outage");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("broker-outage"), url)) {
            repo.write("app/settings.yaml", OneConfigMapRepository.settings("one"))
                    .commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(NS, "repo", url, "1h"));
            Manifests.apply(
                    client,
                    Manifests.kustomizationInto(NS, "app", "repo", "./app")
                            .replace("interval: 10m", "interval: 30s"));
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> "one".equals(OneConfigMapRepository.greeting(client, NS)));
            List<Long> pids =
                    LocalStack.SERVICES.stream().map(name -> stack.service(name).pid()).toList();

            stack.kafka().stop();
            String head;
            try {
                head =
                        repo.write("app/settings.yaml", OneConfigMapRepository.settings("two"))
                                .commitAndPush("two");
                client.resources(GitRepository.class)
                        .inNamespace(NS)
                        .withName("repo")
                        .edit(
                                r -> {
                                    r.getMetadata()
                                            .setAnnotations(Map.of(Annotations.REQUESTED_AT, head));
                                    return r;
                                });
                // the outage lasts OUTAGE; throughout it, the old value stays
                await("the outage")
                        .during(OUTAGE)
                        .atMost(OUTAGE.plusSeconds(10))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> "one".equals(OneConfigMapRepository.greeting(client, NS)));
                assertThat(OneConfigMapRepository.greeting(client, NS))
                        .as("nothing reaches the cluster without Kafka")
                        .isEqualTo("one");
            } finally {
                stack.kafka().restart();
            }
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> "two".equals(OneConfigMapRepository.greeting(client, NS)));
            System.out.printf(
                    "broker outage: the commit was applied %.1f s after the broker came back%n",
                    (System.nanoTime() - back) / 1e9);
            assertThat(LocalStack.SERVICES.stream().map(name -> stack.service(name).pid()).toList())
                    .as("no service restarted")
                    .isEqualTo(pids);
            // Ready is health-service's verdict on the new revision, written after its apply (a
            // verdict on an older attempt, redelivered once the broker is back, may stand until
            // then)
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () ->
                                    assertThat(FluxReady.of(client, NS, "app"))
                                            .hasValueSatisfying(
                                                    c -> {
                                                        assertThat(c.getStatus()).isEqualTo("True");
                                                        assertThat(c.getMessage()).endsWith(head);
                                                    }));
            // every service is live (a consumer the connector gave up on shows as liveness DOWN:
            // in a cluster, a restart by the kubelet; here, a stall), and each, the only replica,
            // owns every partition again
            HttpClient http = HttpClient.newHttpClient();
            for (String name : LocalStack.SERVICES) {
                ServiceProcess service = stack.service(name);
                HttpResponse<String> live =
                        http.send(
                                HttpRequest.newBuilder(URI.create(service.url() + "/q/health/live"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(live.statusCode()).as(name + " live: " + live.body()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(
                                () -> {
                                    JsonNode ownership = service.ownership();
                                    assertThat(ownership.path("owned").size())
                                            .as(name + " owns all: " + ownership)
                                            .isEqualTo(ownership.path("partitions").asInt())
                                            .isPositive();
                                    assertThat(ownership.path("fenced").asBoolean()).isFalse();
                                });
            }
        }
    }
}
