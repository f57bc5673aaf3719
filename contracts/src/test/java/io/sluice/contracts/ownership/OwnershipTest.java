package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                .isEqualTo(new Ownership.Assignment(TOPIC, 6, Set.of(0, 2), 2));
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

    private static TopicPartition partition(int p) {
        return new TopicPartition(TOPIC, p);
    }

    private static ObjectRef objectIn(int partition) {
        for (int i = 0; ; i++) {
            ObjectRef ref = new ObjectRef("Kustomization", "ns", "app-" + i);
            if (Partitioning.partitionFor(ref.key(), 6) == partition) {
                return ref;
            }
        }
    }
}
