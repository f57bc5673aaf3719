package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.contracts.events.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitioningTest {
    /** Kafka's own producer code is the oracle: a record keyed by the object lands there. */
    @Test
    void anObjectsPartitionIsTheOneKafkasDefaultPartitionerGivesItsKey() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String key = new ObjectRef("Kustomization", "team-" + (i % 7), "app-" + i).key();
            for (int partitions : new int[] {1, 6, 24}) {
                int expected =
                        BuiltInPartitioner.partitionForKey(
                                key.getBytes(StandardCharsets.UTF_8), partitions);
                assertThat(Partitioning.partitionFor(key, partitions)).isEqualTo(expected);
                if (partitions == 6) {
                    seen.add(expected);
                }
            }
        }
        assertThat(seen).hasSize(6);
    }
}
