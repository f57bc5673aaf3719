package io.sluice.apply.pipeline;

import io.sluice.contracts.events.Topics;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every replica reads every verdict, each in a consumer group of its own named by its stable name
 * ({@code SLUICE_INSTANCE}), and the owner of the release acts on it: a verdict's partition and its
 * release's render's are not assigned to the same replica. Without a stable name (the chart's one
 * replica, until it names its pods) the group is always {@value #GROUP}, so that a restart resumes
 * from the committed offset and misses no verdict. Set here and not in application.properties,
 * where quarkus-helm would turn a {@code ${...}} default into an environment variable of the pods.
 */
@ApplicationScoped
public class VerdictsGroup implements ClientCustomizer<Map<String, Object>> {
    static final String GROUP = "apply-service-verdicts";

    @Override
    public Map<String, Object> customize(
            String channel, Config channelConfig, Map<String, Object> config) {
        if (Topics.VERDICTS.equals(channel)) {
            config.put(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    groupOf(
                            ConfigProvider.getConfig()
                                    .getOptionalValue("sluice.instance", String.class)));
        }
        return config;
    }

    static String groupOf(Optional<String> instance) {
        return instance.filter(name -> !name.isBlank())
                .map(name -> GROUP + "-" + name)
                .orElse(GROUP);
    }
}
