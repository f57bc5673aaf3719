package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.source.GitRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A render is triggered once per change, however many triggers announce it: a Kustomization
 * rendered at its creation from the artifact its source's status names is not rendered again when
 * the same artifact is announced once more (source-service announces every artifact again after a
 * restart, as at a cold start the announcement and the creation race); a requested reconcile still
 * renders. Counted from render-service's log lines about the object.
 */
@ExtendWith(LocalStackExtension.class)
class RenderOnceTest {
    private static final String NS = "render-once-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEBUG = "QUARKUS_LOG_CATEGORY__IO_SLUICE_RENDER_KUSTOMIZE__LEVEL";

    @Test
    void theSameArtifactAnnouncedAgainIsNotRenderedAgain() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        ServiceProcess render = stack.service("render-service");
        try {
            restart(render, DEBUG, "DEBUG"); // to see the repeat dropped
            String url = OneConfigMapRepository.push(stack, NS, "once");
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            await().atMost(DEADLINE).until(() -> artifactStored(client));
            Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));
            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));
            int renders = lines(stack, "rendered 1 objects").size();
            assertThat(renders).as("renders at the creation").isPositive();

            // the announcement of the artifact the creation rendered from may have come
            // after the render already (and been dropped): counted from here
            int dropped = lines(stack, "rendered already from ").size();
            ServiceProcess source = stack.service("source-service");
            source.stop();
            source.start();
            source.awaitReady(DEADLINE);
            await().atMost(DEADLINE)
                    .until(() -> lines(stack, "rendered already from ").size() > dropped);
            assertThat(lines(stack, "rendered 1 objects")).as("renders").hasSize(renders);

            client.resources(Kustomization.class)
                    .inNamespace(NS)
                    .withName("app")
                    .edit(
                            ks -> {
                                ks.getMetadata()
                                        .setAnnotations(
                                                Map.of(
                                                        "reconcile.fluxcd.io/requestedAt",
                                                        Instant.now().toString()));
                                return ks;
                            });
            await().atMost(DEADLINE)
                    .until(() -> lines(stack, "rendered 1 objects").size() == renders + 1);
        } finally {
            restart(render, DEBUG, "INFO");
        }
    }

    private static void restart(ServiceProcess service, String variable, String value)
            throws IOException, InterruptedException {
        service.stop();
        service.environment(variable, value);
        service.start();
        service.awaitReady(DEADLINE);
    }

    private static boolean artifactStored(KubernetesClient client) {
        GitRepository repository =
                client.resources(GitRepository.class).inNamespace(NS).withName(NS).get();
        return repository != null
                && repository.getStatus() != null
                && repository.getStatus().artifact != null;
    }

    /** render-service's log lines about this test's Kustomization whose message starts so. */
    private static List<String> lines(LocalStack stack, String message) throws IOException {
        Path log = stack.runDir().resolve("logs/render-service.log");
        return Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("{") && line.contains(NS))
                .filter(
                        line -> {
                            try {
                                JsonNode record = JSON.readTree(line);
                                return NS.equals(record.path("namespace").asText())
                                        && "app".equals(record.path("name").asText())
                                        && record.path("msg").asText().startsWith(message);
                            } catch (IOException notARecord) {
                                return false;
                            }
                        })
                .toList();
    }
}
