package io.sluice.contracts.ownership;

import io.sluice.contracts.events.ObjectRef;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Which objects this replica of a service works on: those whose key falls in a partition that the
 * service's consumer group gave it on its ownership channel (the one channel whose {@code
 * consumer-rebalance-listener.name} is {@value #LISTENER}). Kafka's group protocol is the election:
 * with cooperative-sticky assignment a rebalance moves only the partitions that must move, and with
 * static membership ({@code group.instance.id}) a replica restarted within the session timeout gets
 * its own partitions back. An object's partition is reckoned with the ownership topic's partition
 * count; {@code TopicDeclarations} creates every topic with the same count ({@code
 * sluice.topics.partitions}), so it is the object's partition on each of them.
 */
@ApplicationScoped
@Default // injected plainly by the services; the identifier is the Kafka connector's lookup
@Identifier(Ownership.LISTENER)
public class Ownership implements KafkaConsumerRebalanceListener {
    public static final String LISTENER = "sluice-ownership";
    private static final Logger LOG = Logger.getLogger(Ownership.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rebalances = new AtomicInteger();
    private volatile String topic;
    private volatile int partitions;

    /**
     * Called at the end of every rebalance the replica takes part in: with cooperative-sticky
     * assignment, with only the partitions added (maybe none); with an eager one, with the whole
     * assignment. Either way, added to what is owned.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        rebalances.incrementAndGet();
        if (!assigned.isEmpty()) {
            // at each assignment, from the consumer's metadata (on its poll thread: bounded)
            String assignedTopic = assigned.iterator().next().topic();
            partitions = consumer.partitionsFor(assignedTopic, METADATA_TIMEOUT).size();
        }
        for (TopicPartition partition : assigned) {
            topic = partition.topic();
            owned.add(partition.partition());
        }
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        revoked.forEach(partition -> owned.remove(partition.partition()));
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
    }

    /** True when {@code object}'s partition is this replica's. */
    public boolean owns(ObjectRef object) {
        int count = partitions;
        return count > 0 && owned.contains(Partitioning.partitionFor(object.key(), count));
    }

    /** What this replica owns now, for {@code /admin/ownership}. */
    public Assignment assignment() {
        return new Assignment(topic, partitions, new TreeSet<>(owned), rebalances.get());
    }

    /**
     * The ownership channel's topic, its partition count, the partitions owned, and how many
     * rebalances of the group this replica has taken part in since it started.
     */
    public record Assignment(String topic, int partitions, Set<Integer> owned, int rebalances) {}
}
