package io.sluice.contracts.ownership;

import io.sluice.contracts.events.ObjectRef;
import java.util.Map;
import java.util.Set;

/**
 * Partitions of the ownership topic that came to this replica or left it, fired as a CDI event on
 * the consumer's poll thread during the rebalance (observers hand slow work to another thread).
 *
 * @param assigned each partition that came, with the group's committed offset there (where this
 *     replica's consumer goes on from; -1 when none, and it starts at the topic's reset policy)
 * @param revoked each partition that left
 */
public record OwnershipChange(
        String topic, int partitions, Map<Integer, Long> assigned, Set<Integer> revoked) {
    public static final long NO_OFFSET = -1;

    /** True when {@code object}'s partition is one of those that came. */
    public boolean cameWith(ObjectRef object) {
        return assigned.containsKey(Partitioning.partitionFor(object.key(), partitions));
    }

    /** True when {@code object}'s partition is one of those that left. */
    public boolean leftWith(ObjectRef object) {
        return revoked.contains(Partitioning.partitionFor(object.key(), partitions));
    }
}
