package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.ObjectRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnershipTest {
    private static final String TOPIC = "sluice.rendered.v1";

    @Test
    void ownsTheObjectsOfThePartitionsAssignedUntilTheyAreRevoked() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            infos.add(new PartitionInfo(TOPIC, p, null, null, null));
        }
        consumer.updatePartitions(TOPIC, infos);
        List<OwnershipChange> changes = new ArrayList<>();
        Ownership ownership = new Ownership(changes::add);
        consumer.assign(List.of(partition(0), partition(2)));
        consumer.commitSync(Map.of(partition(2), new OffsetAndMetadata(42)));
        ObjectRef first = objectIn(0);
        ObjectRef third = objectIn(2);
        assertThat(ownership.owns(first)).as("before any assignment").isFalse();

        // cooperative-sticky: each callback names only the partitions added or taken away
        ownership.onPartitionsAssigned(consumer, List.of(partition(0)));
        ownership.onPartitionsAssigned(consumer, List.of(partition(2)));
        assertThat(ownership.owns(first)).isTrue();
        assertThat(ownership.owns(third)).isTrue();
        assertThat(ownership.owns(objectIn(1))).isFalse();
        assertThat(ownership.assignment())
                .isEqualTo(new Ownership.Assignment(TOPIC, 6, Set.of(0, 2), 2, false));
        assertThat(changes)
                .as("each partition that came, with where the group goes on there")
                .containsExactly(
                        new OwnershipChange(
                                TOPIC, 6, Map.of(0, OwnershipChange.NO_OFFSET), Set.of()),
                        new OwnershipChange(TOPIC, 6, Map.of(2, 42L), Set.of()));

        ownership.onPartitionsRevoked(consumer, List.of(partition(2)));
        assertThat(ownership.owns(first)).isTrue();
        assertThat(ownership.owns(third)).isFalse();
        assertThat(changes.get(2)).isEqualTo(new OwnershipChange(TOPIC, 6, Map.of(), Set.of(2)));
        ownership.onPartitionsLost(consumer, List.of(partition(0)));
        assertThat(ownership.owns(first)).as("lost, as revoked").isFalse();
    }

    /**
     * Cut off from the brokers (no response for two thirds of the session timeout), the replica
     * stops working on what it owns before the group could give it to another, and asks to
     * rebalance; the rebalance that confirms it gives all of it back.
     */
    @Test
    void stopsWorkingOnItsPartitionsWhenItsLeaseRunsOutUntilARebalanceConfirmsThem() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.updatePartitions(
                TOPIC,
                List.of(
                        new PartitionInfo(TOPIC, 0, null, null, null),
                        new PartitionInfo(TOPIC, 1, null, null, null)));
        consumer.assign(List.of(partition(0), partition(1)));
        consumer.commitSync(Map.of(partition(1), new OffsetAndMetadata(7)));
        List<OwnershipChange> changes = new ArrayList<>();
        AtomicInteger rejoins = new AtomicInteger();
        Ownership ownership = new Ownership(changes::add);
        ownership.attach(consumer, Duration.ofSeconds(9), rejoins::incrementAndGet);
        ownership.onPartitionsAssigned(consumer, List.of(partition(0), partition(1)));
        changes.clear();
        long start = System.nanoTime(); // the MockConsumer never hears from a broker
        ObjectRef first = objectIn(0, 2);

        ownership.checkLease(start);
        ownership.checkLease(start + Duration.ofSeconds(6).toNanos());
        assertThat(ownership.owns(first)).as("within the 6 s lease").isTrue();
        assertThat(changes).isEmpty();

        ownership.checkLease(start + Duration.ofSeconds(7).toNanos());
        ownership.checkLease(start + Duration.ofSeconds(8).toNanos());
        assertThat(ownership.owns(first)).as("the lease ran out").isFalse();
        assertThat(ownership.assignment().fenced()).isTrue();
        assertThat(ownership.assignment().owned()).containsExactly(0, 1);
        assertThat(changes)
                .as("once, as if all were revoked")
                .containsExactly(new OwnershipChange(TOPIC, 2, Map.of(), Set.of(0, 1)));
        assertThat(rejoins).hasValue(1);

        // cooperative: a rebalance that moves nothing names no partition
        ownership.onPartitionsAssigned(consumer, List.of());
        assertThat(ownership.owns(first)).isTrue();
        assertThat(ownership.assignment().fenced()).isFalse();
        assertThat(changes.get(1))
                .as("all it owns comes again, with where the group goes on")
                .isEqualTo(
                        new OwnershipChange(
                                TOPIC, 2, Map.of(0, OwnershipChange.NO_OFFSET, 1, 7L), Set.of()));
    }

    /** The consumer's metadata not to be had at the first assignment: the declared count. */
    @Test
    void ownsItsPartitionsWhenTheirCountIsNotReadAsEveryTopicIsDeclared() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.assign(List.of(partition(4)));
        Ownership ownership = new Ownership(change -> {});
        ownership.onPartitionsAssigned(consumer, List.of(partition(4)));
        assertThat(ownership.assignment().partitions()).isEqualTo(6);
        assertThat(ownership.owns(objectIn(4))).isTrue();
    }

    @Test
    void partitionsLostWhileFencedAreNotRevokedTwice() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        List<OwnershipChange> changes = new ArrayList<>();
        Ownership ownership = new Ownership(changes::add);
        ownership.attach(consumer, Duration.ofSeconds(9), () -> {});
        ownership.onPartitionsAssigned(consumer, List.of(partition(0)));
        long start = System.nanoTime();
        ownership.checkLease(start);
        ownership.checkLease(start + Duration.ofSeconds(7).toNanos());
        changes.clear();

        ownership.onPartitionsLost(consumer, List.of(partition(0)));
        assertThat(changes).isEmpty();
        ownership.onPartitionsAssigned(consumer, List.of());
        assertThat(ownership.assignment().owned()).isEmpty();
        assertThat(ownership.assignment().fenced()).isFalse();
        assertThat(changes).as("nothing owned comes again").isEmpty();
    }

    private static TopicPartition partition(int p) {
        return new TopicPartition(TOPIC, p);
    }

    private static ObjectRef objectIn(int partition) {
        return objectIn(partition, 6);
    }

    private static ObjectRef objectIn(int partition, int partitions) {
        for (int i = 0; ; i++) {
            ObjectRef ref = new ObjectRef("Kustomization", "ns", "app-" + i);
            if (Partitioning.partitionFor(ref.key(), partitions) == partition) {
                return ref;
            }
        }
    }
}
