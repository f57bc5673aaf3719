package io.sluice.contracts.ownership;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one channel of a service that every replica reads in full ({@value #CHANNEL}), because its
 * records are keyed otherwise than the objects the service works on (apply-service's verdicts,
 * render-service's artifacts): each replica reads it in a consumer group of its own, the channel's
 * {@code group.id} followed by the replica's stable name ({@code SLUICE_INSTANCE}), and acts on
 * what its objects need. Without a stable name (a service started by hand) the group is the
 * channel's {@code group.id} as it is, so that a restart resumes from the committed offset.
 */
@ApplicationScoped
public class ReplicaGroup implements ClientCustomizer<Map<String, Object>> {
    static final String CHANNEL = "sluice.ownership.every-replica-reads";

    @Override
    public Map<String, Object> customize(
            String channel, Config channelConfig, Map<String, Object> config) {
        Config global = ConfigProvider.getConfig();
        boolean everyReplicaReads =
                global.getOptionalValue(CHANNEL, String.class).filter(channel::equals).isPresent();
        if (everyReplicaReads && config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            config.put(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    groupOf(
                            config.get(ConsumerConfig.GROUP_ID_CONFIG).toString(),
                            global.getOptionalValue(StaticMembership.INSTANCE, String.class)));
        }
        return config;
    }

    static String groupOf(String group, Optional<String> instance) {
        return instance.filter(name -> !name.isBlank())
                .map(name -> group + "-" + name)
                .orElse(group);
    }
}
