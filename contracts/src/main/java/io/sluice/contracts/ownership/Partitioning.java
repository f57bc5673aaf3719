package io.sluice.contracts.ownership;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition a record keyed {@code key} goes to, as Kafka's default partitioner puts it (the
 * murmur2 hash of the key's UTF-8 bytes): events are keyed by the object they concern ({@code
 * ObjectRef.key()}), so this is also the partition that decides which replica owns the object.
 */
public final class Partitioning {
    private Partitioning() {}

    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
