package io.sluice.contracts.ownership;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Makes every consumer a static member of its group ({@code group.instance.id}) when the replica
 * has a stable name, {@code SLUICE_INSTANCE} ({@code <service>-<n>}: each of the chart's replicas
 * is a Deployment of one pod so named, as each of the local stack's processes is): one per channel,
 * since a replica's channels may share a group. A static member that restarts within the session
 * timeout gets its partitions back without a rebalance. Without a stable name (a service started by
 * hand) consumers stay dynamic, so that one shutting down leaves its group at once instead of
 * holding its partitions until its session expires.
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {
    static final String INSTANCE = "sluice.instance";

    @Override
    public Map<String, Object> customize(
            String channel, Config channelConfig, Map<String, Object> config) {
        return withInstance(
                channel,
                config,
                ConfigProvider.getConfig().getOptionalValue(INSTANCE, String.class));
    }

    static Map<String, Object> withInstance(
            String channel, Map<String, Object> config, Optional<String> instance) {
        if (instance.isPresent()
                && !instance.get().isBlank()
                && config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            config.putIfAbsent(
                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance.get() + "-" + channel);
        }
        return config;
    }
}
