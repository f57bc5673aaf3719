package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.contracts.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The services declare Sluice's topics themselves: the stack's broker creates none on its own
 * ({@code auto.create.topics.enable=false}), so every other test also fails if one is forgotten;
 * here each topic has the declared partitions and its own retention.
 */
@ExtendWith(LocalStackExtension.class)
class TopicDeclarationsTest {
    @Test
    void everyTopicIsCreatedWithItsPartitionsAndRetention() throws Exception {
        String servers = LocalStackExtension.stack().kafkaBootstrapServers();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            // the services declare them as they start; this test may be the first to run
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    admin.listTopics()
                                            .names()
                                            .get(30, TimeUnit.SECONDS)
                                            .containsAll(Topics.RETENTION.keySet()));
            var topics =
                    admin.describeTopics(Topics.RETENTION.keySet())
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS);
            topics.values().forEach(t -> assertThat(t.partitions()).as(t.name()).hasSize(6));
            List<ConfigResource> resources =
                    Topics.RETENTION.keySet().stream()
                            .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                            .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            configs.forEach(
                    (topic, config) -> {
                        assertThat(config.get("retention.ms").value())
                                .as(topic.name())
                                .isEqualTo(
                                        Long.toString(
                                                Topics.RETENTION.get(topic.name()).toMillis()));
                        assertThat(config.get("max.message.bytes").value())
                                .as(topic.name())
                                .isEqualTo("16777216");
                    });
            assertThat(
                            configs.get(
                                            new ConfigResource(
                                                    ConfigResource.Type.TOPIC, Topics.ALERTS))
                                    .get("retention.ms")
                                    .value())
                    .isEqualTo("604800000");
        }
    }
}
