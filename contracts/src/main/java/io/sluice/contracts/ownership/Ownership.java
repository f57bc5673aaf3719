package io.sluice.contracts.ownership;

import io.sluice.contracts.events.ObjectRef;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    private final CompletableFuture<Void> firstAssignment = new CompletableFuture<>();
    private final java.util.function.Consumer<OwnershipChange> changes;
    private volatile String topic;
    private volatile int partitions;

    @Inject
    public Ownership(Event<OwnershipChange> changes) {
        this(changes::fire);
    }

    Ownership(java.util.function.Consumer<OwnershipChange> changes) {
        this.changes = changes;
    }

    /**
     * Called at the end of every rebalance the replica takes part in: with cooperative-sticky
     * assignment, with only the partitions added (maybe none); with an eager one, with the whole
     * assignment. Either way, added to what is owned.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        rebalances.incrementAndGet();
        // owned first: an exception below is logged and rethrown by SmallRye, and Kafka keeps the
        // assignment all the same (this is not called again for it)
        for (TopicPartition partition : assigned) {
            topic = partition.topic();
            owned.add(partition.partition());
        }
        if (!assigned.isEmpty()) {
            // from the consumer's metadata, which holds the assigned topic (poll thread: bounded)
            partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).size();
        }
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
        firstAssignment.complete(null);
        if (!assigned.isEmpty()) {
            changes.accept(
                    new OwnershipChange(
                            topic, partitions, committed(consumer, assigned), Set.of()));
        }
    }

    /** Where the group goes on in each partition; none known when the broker does not answer. */
    private static Map<Integer, Long> committed(
            Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Map<Integer, Long> committed = new TreeMap<>();
        assigned.forEach(p -> committed.put(p.partition(), OwnershipChange.NO_OFFSET));
        try {
            consumer.committed(new HashSet<>(assigned), METADATA_TIMEOUT)
                    .forEach(
                            (partition, offset) -> {
                                if (offset != null) {
                                    committed.put(partition.partition(), offset.offset());
                                }
                            });
        } catch (RuntimeException e) {
            LOG.warnf("committed offsets of %s not read: %s", assigned, e.toString());
        }
        return committed;
    }

    /**
     * Completes at the replica's first assignment (maybe of no partition): before it, {@link #owns}
     * is false for every object, though some are surely this replica's.
     */
    public CompletionStage<Void> firstAssignment() {
        return firstAssignment;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        Set<Integer> left = new TreeSet<>();
        revoked.forEach(partition -> left.add(partition.partition()));
        owned.removeAll(left);
        LOG.infof("owns partitions %s of %s's %d", new TreeSet<>(owned), topic, partitions);
        if (!left.isEmpty()) {
            changes.accept(new OwnershipChange(topic, partitions, Map.of(), left));
        }
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
