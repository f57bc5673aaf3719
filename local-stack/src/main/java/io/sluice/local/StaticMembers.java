package io.sluice.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;

/**
 * Static members that are gone for good: a stopped service process does not leave its groups (a
 * static member never does), so its partitions would wait for its session to expire before anyone
 * else consumes them. The stack removes them, as an operator scaling a StatefulSet down would.
 */
final class StaticMembers {
    private StaticMembers() {}

    /** Removes every static member whose instance id starts with one of {@code instances}. */
    static void remove(String bootstrapServers, Collection<String> instances) throws Exception {
        // closed with a bound: a broker that is away would hold a plain close() for the default
        // API timeout
        Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        try {
            List<String> groups =
                    admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                            .map(ConsumerGroupListing::groupId)
                            .toList();
            Map<String, ConsumerGroupDescription> described =
                    admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS);
            for (ConsumerGroupDescription group : described.values()) {
                List<MemberToRemove> gone = new ArrayList<>();
                for (MemberDescription member : group.members()) {
                    member.groupInstanceId()
                            .filter(id -> instances.stream().anyMatch(i -> id.startsWith(i + "-")))
                            .ifPresent(id -> gone.add(new MemberToRemove(id)));
                }
                if (!gone.isEmpty()) {
                    admin.removeMembersFromConsumerGroup(
                                    group.groupId(),
                                    new RemoveMembersFromConsumerGroupOptions(gone))
                            .all()
                            .get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
