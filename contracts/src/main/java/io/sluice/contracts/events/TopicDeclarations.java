package io.sluice.contracts.events;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Sluice's topics are declared, not left to the first producer (a broker may not create topics on
 * its own, and one that does gives them its defaults): at start, each service creates the topics
 * that are missing ({@link Topics}, each with its retention), with {@code sluice.topics.partitions}
 * (default 6: enough for a handful of replicas of each service), {@code
 * sluice.topics.replication-factor} (default 1) and {@code sluice.topics.min-insync-replicas}
 * (default 1), through an admin client configured as the services' own Kafka clients ({@code
 * kafka.*}: bootstrap servers, TLS, SASL). Existing topics are left as they are (more partitions
 * would move keys between partitions); one with fewer partitions than asked is logged. Tried again
 * every 10 s until it succeeds, so a broker that is down at start delays, never prevents, it.
 */
@ApplicationScoped
public class TopicDeclarations {
    /** How many partitions every topic is declared with; also each ownership topic's count. */
    public static final String PARTITIONS = "sluice.topics.partitions";

    public static final int DEFAULT_PARTITIONS = 6;
    private static final Logger LOG = Logger.getLogger(TopicDeclarations.class);
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private ScheduledExecutorService retries;

    void declare(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Config config = ConfigProvider.getConfig();
        if (!config.getOptionalValue("sluice.topics.declare", Boolean.class).orElse(true)) {
            return;
        }
        retries =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "topic-declarations");
                            thread.setDaemon(true);
                            return thread;
                        });
        retries.execute(() -> attempt(config));
    }

    private void attempt(Config config) {
        try {
            createMissing(config);
            retries.shutdown();
        } catch (Exception e) {
            LOG.warnf(
                    "cannot declare Sluice's topics yet (tried again in %ds): %s",
                    RETRY.toSeconds(), e.getMessage());
            retries.schedule(() -> attempt(config), RETRY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void createMissing(Config config)
            throws InterruptedException, ExecutionException, TimeoutException {
        int partitions =
                config.getOptionalValue(PARTITIONS, Integer.class).orElse(DEFAULT_PARTITIONS);
        short replication =
                config.getOptionalValue("sluice.topics.replication-factor", Short.class)
                        .orElse((short) 1);
        String minInSync =
                config.getOptionalValue("sluice.topics.min-insync-replicas", String.class)
                        .orElse("1");
        Admin admin = Admin.create(kafkaClientProperties(config));
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Map.Entry<String, Duration> topic : Topics.RETENTION.entrySet()) {
                if (existing.contains(topic.getKey())) {
                    continue;
                }
                missing.add(
                        new NewTopic(topic.getKey(), partitions, replication)
                                .configs(
                                        Map.of(
                                                "retention.ms",
                                                Long.toString(topic.getValue().toMillis()),
                                                "min.insync.replicas",
                                                minInSync,
                                                // a rendered bundle of large CRDs is several MB
                                                // (the
                                                // producers allow 16 MiB); a broker's default is 1
                                                "max.message.bytes",
                                                Integer.toString(MAX_MESSAGE_BYTES))));
            }
            for (var created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                    LOG.infof(
                            "created topic %s (%d partitions, replication factor %d)",
                            created.getKey(), partitions, replication);
                } catch (ExecutionException e) {
                    // one that another service created meanwhile is fine
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            var described =
                    admin.describeTopics(Topics.RETENTION.keySet())
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS);
            described.forEach(
                    (name, description) -> {
                        if (description.partitions().size() < partitions) {
                            LOG.warnf(
                                    "topic %s has %d partitions, fewer than"
                                            + " sluice.topics.partitions=%d: left as it is",
                                    name, description.partitions().size(), partitions);
                        }
                    });
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    @PreDestroy
    void stop() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    /**
     * The {@code kafka.*} settings the services' Kafka clients use, without the prefix, whether
     * given as properties or as environment variables ({@code KAFKA_SECURITY_PROTOCOL}).
     */
    public static Properties kafkaClientProperties(Config config) {
        Map<String, String> settings = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            String key = null;
            if (name.startsWith("kafka.")) {
                key = name.substring("kafka.".length());
            } else if (name.startsWith("KAFKA_")) {
                key =
                        name.substring("KAFKA_".length())
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace('_', '.');
            }
            if (key != null && !settings.containsKey(key)) {
                String setting = key;
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> settings.put(setting, v));
            }
        }
        Properties properties = new Properties();
        properties.putAll(settings);
        properties.putIfAbsent("client.id", "sluice-topic-declarations");
        return properties;
    }
}
