package io.sluice.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A KRaft cluster of several real Kafka nodes, from {@code deploy/local/kafka/cluster}: topics
 * replicated on every node, {@code min.insync.replicas} one less. For the tests of a broker's
 * death; the stack's own broker ({@link KafkaBroker}) stays the one every other test uses.
 */
public final class KafkaCluster implements AutoCloseable {
    private final Path repoRoot;
    private final Path runDir;
    private final String bootstrapServers;

    private KafkaCluster(Path repoRoot, Path runDir, String bootstrapServers) {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaCluster start(Path repoRoot, Path runDir, int nodes)
            throws IOException, InterruptedException {
        String bootstrap =
                Launcher.run(
                        script(repoRoot), runDir, log(runDir), "--nodes", String.valueOf(nodes));
        return new KafkaCluster(repoRoot, runDir, bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The node (its {@code node.id}) that leads {@code partition}. */
    public int leaderOf(TopicPartition partition)
            throws ExecutionException, InterruptedException, TimeoutException {
        return describe(partition).leader().id();
    }

    /** The nodes in sync for {@code partition}. */
    public List<Integer> inSyncReplicas(TopicPartition partition)
            throws ExecutionException, InterruptedException, TimeoutException {
        return describe(partition).isr().stream().map(Node::id).sorted().toList();
    }

    private TopicPartitionInfo describe(TopicPartition partition)
            throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicDescription topic =
                    admin.describeTopics(List.of(partition.topic()))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(partition.topic());
            return topic.partitions().get(partition.partition());
        }
    }

    /** {@code kill -9} of node {@code node}: no controlled shutdown, no leadership handed on. */
    public void kill(int node) throws IOException {
        String name = "kafka-" + node;
        Files.readAllLines(runDir.resolve("pids")).stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length == 2 && fields[1].equals(name))
                .map(fields -> Long.parseLong(fields[0]))
                .reduce((first, last) -> last)
                .flatMap(ProcessHandle::of)
                .ifPresent(
                        process -> {
                            process.destroyForcibly();
                            process.onExit().join();
                        });
    }

    /** Starts node {@code node} again, on its ports with its data, once it answers. */
    public void restart(int node) throws IOException, InterruptedException {
        Launcher.run(script(repoRoot), runDir, log(runDir), "--node", String.valueOf(node));
    }

    private static Path script(Path repoRoot) {
        return repoRoot.resolve("deploy/local/kafka/cluster");
    }

    private static Path log(Path runDir) {
        return runDir.getParent().resolve("kafka-cluster-start.log");
    }

    @Override
    public void close() {
        Launcher.stop(repoRoot, runDir);
    }
}
