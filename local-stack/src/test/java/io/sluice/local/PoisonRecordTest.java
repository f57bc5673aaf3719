package io.sluice.local;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records a service cannot read (not JSON; 2 MiB of garbage) on the rendered topic (apply-service)
 * and the applied topic (health-service): each is reported on the object its key names, and the
 * consumer goes on: the next commit is applied and judged.
 */
@ExtendWith(LocalStackExtension.class)
class PoisonRecordTest {
    private static final String NS = "poison";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void unreadableRecordsAreReportedAndTheConsumerGoesOn() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String url = stack.git().create("poison");
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("poison"), url);
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(
                                Map.of(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        stack.kafkaBootstrapServers(),
                                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        16 * 1024 * 1024),
                                new StringSerializer(),
                                new ByteArraySerializer())) {
            repo.write("app/settings.yaml", settings(NS, "one")).commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(NS, "repo", url, "1h"));
            Manifests.apply(client, Manifests.kustomization(NS, "app", "repo", "./app"));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    "one".equals(value(client, NS))
                                            && ready(client, NS).equals("True"));

            String key = "Kustomization/" + NS + "/app";
            producer.send(
                            new ProducerRecord<>(
                                    Topics.RENDERED,
                                    key,
                                    "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            byte[] large = new byte[2 * 1024 * 1024];
            Arrays.fill(large, (byte) 'x');
            producer.send(new ProducerRecord<>(Topics.RENDERED, key, large)).get();
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    ready(client, NS).equals("False")
                                            && message(client, NS).contains("could not be read"));

            push(client, repo, NS, "two");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    "two".equals(value(client, NS))
                                            && ready(client, NS).equals("True"));
        }
    }

    @Test
    void anUnreadableApplyResultIsReportedByHealthServiceWhichGoesOn() throws Exception {
        String ns = "poison-applied";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(ns));
        String url = stack.git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url);
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(
                                Map.of(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        stack.kafkaBootstrapServers()),
                                new StringSerializer(),
                                new ByteArraySerializer())) {
            repo.write("app/settings.yaml", settings(ns, "one")).commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
            Manifests.apply(client, Manifests.kustomization(ns, "app", "repo", "./app"));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    "one".equals(value(client, ns))
                                            && ready(client, ns).equals("True"));

            producer.send(
                            new ProducerRecord<>(
                                    Topics.APPLIED,
                                    "Kustomization/" + ns + "/app",
                                    "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    ready(client, ns).equals("False")
                                            && message(client, ns)
                                                    .equals(
                                                            "a result for Kustomization/"
                                                                    + ns
                                                                    + "/app on sluice.applied.v1 could not be read and was skipped; the next reconciliation replaces it"));

            push(client, repo, ns, "two");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    "two".equals(value(client, ns))
                                            && ready(client, ns).equals("True"));
        }
    }

    private static String settings(String ns, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: "
                + ns
                + "}\ndata: {value: "
                + value
                + "}\n";
    }

    private static String value(KubernetesClient client, String ns) {
        var configMap = client.configMaps().inNamespace(ns).withName("settings").get();
        return configMap == null ? "" : configMap.getData().get("value");
    }

    private static String ready(KubernetesClient client, String ns) {
        return FluxReady.of(client, ns, "app").map(c -> c.getStatus()).orElse("");
    }

    private static String message(KubernetesClient client, String ns) {
        return FluxReady.of(client, ns, "app").map(c -> c.getMessage()).orElse("");
    }

    /** A new commit, and its source asked to reconcile now. */
    private static void push(KubernetesClient client, GitWorkspace repo, String ns, String value)
            throws Exception {
        String head = repo.write("app/settings.yaml", settings(ns, value)).commitAndPush(value);
        client.resources(GitRepository.class)
                .inNamespace(ns)
                .withName("repo")
                .edit(
                        r -> {
                            r.getMetadata().setAnnotations(Map.of(Annotations.REQUESTED_AT, head));
                            return r;
                        });
    }
}
