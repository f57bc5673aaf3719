package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.ownership.Partitioning;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One broker of three killed ({@code kill -9}) and started again, under the services (one replica
 * each) with their topics replicated on all three, two in sync required: the broker killed leads
 * the partition of the Kustomization's renders. A commit pushed while it is dead is applied, one
 * pushed after it is back and in sync again is applied too, without a restart of any service, and
 * sluice.applied.v1 holds an apply result for each of the three revisions: nothing acknowledged was
 * lost with the broker.
 */
@ExtendWith(LocalStackExtension.class)
class BrokerFailoverTest {
    private static final String NS = "broker-failover";
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int PARTITIONS = 6;

    @Test
    void aBrokerOfThreeKilledAndStartedAgainLosesNothingAndStopsNothing() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        try (KafkaCluster kafka =
                KafkaCluster.start(stack.repoRoot(), stack.runDir().resolve("brokers"), 3)) {
            stack.runServicesAsProcesses(
                    Map.of(
                            "KAFKA_BOOTSTRAP_SERVERS",
                            kafka.bootstrapServers(),
                            "SLUICE_TOPICS_PARTITIONS",
                            String.valueOf(PARTITIONS),
                            "SLUICE_TOPICS_REPLICATION_FACTOR",
                            "3",
                            "SLUICE_TOPICS_MIN_INSYNC_REPLICAS",
                            "2"));
            try {
                Manifests.apply(client, Manifests.namespace(NS));
                String url = stack.git().create(NS);
                try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
                    String one =
                            repo.write("app/settings.yaml", OneConfigMapRepository.settings("one"))
                                    .commitAndPush("1");
                    Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "1h"));
                    Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));
                    await().atMost(DEADLINE)
                            .until(() -> "one".equals(OneConfigMapRepository.greeting(client, NS)));
                    List<Long> pids =
                            LocalStack.SERVICES.stream()
                                    .map(name -> stack.service(name).pid())
                                    .toList();

                    String owner = new ObjectRef("Kustomization", NS, "app").key();
                    TopicPartition renders =
                            new TopicPartition(
                                    Topics.RENDERED, Partitioning.partitionFor(owner, PARTITIONS));
                    int leader = kafka.leaderOf(renders);
                    kafka.kill(leader);
                    String two =
                            repo.write("app/settings.yaml", OneConfigMapRepository.settings("two"))
                                    .commitAndPush("2");
                    Manifests.requestReconcile(client, GitRepository.class, NS, NS);
                    long killed = System.nanoTime();
                    await().atMost(DEADLINE)
                            .until(() -> "two".equals(OneConfigMapRepository.greeting(client, NS)));
                    System.out.printf(
                            "broker failover: a push applied %.1f s after its partition's leader"
                                    + " was killed%n",
                            (System.nanoTime() - killed) / 1e9);
                    assertThat(kafka.leaderOf(renders)).as("a new leader").isNotEqualTo(leader);

                    kafka.restart(leader);
                    await().atMost(DEADLINE)
                            .until(() -> kafka.inSyncReplicas(renders).contains(leader));
                    String three =
                            repo.write(
                                            "app/settings.yaml",
                                            OneConfigMapRepository.settings("three"))
                                    .commitAndPush("3");
                    Manifests.requestReconcile(client, GitRepository.class, NS, NS);
                    await().atMost(DEADLINE)
                            .until(
                                    () ->
                                            "three"
                                                    .equals(
                                                            OneConfigMapRepository.greeting(
                                                                    client, NS)));

                    assertThat(
                                    LocalStack.SERVICES.stream()
                                            .map(name -> stack.service(name).pid())
                                            .toList())
                            .as("no service restarted")
                            .isEqualTo(pids);
                    List<String> applied =
                            TopicReader.everything(
                                            kafka.bootstrapServers(), List.of(Topics.APPLIED))
                                    .stream()
                                    .filter(record -> owner.equals(record.key()))
                                    .map(ConsumerRecord::value)
                                    .toList();
                    for (String revision : List.of(one, two, three)) {
                        assertThat(applied)
                                .as("an apply result of %s", revision)
                                .anyMatch(value -> value.contains("main@sha1:" + revision));
                    }
                }
            } finally {
                stack.runServicesAsProcesses();
            }
        }
    }
}
