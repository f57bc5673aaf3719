package io.sluice.contracts.ownership;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.contracts.events.TopicDeclarations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The ownership group of a service whose input is not keyed by the objects it works on
 * (source-service starts its work from the cluster; render-service's artifacts are keyed by source,
 * its work by Kustomization): a consumer that joins the group {@code sluice.ownership.group} on
 * {@code sluice.ownership.topic}, a topic keyed by those objects, and reads none of it (every
 * partition it is given stays paused). It polls only to stay a member; what Kafka assigns it goes
 * to {@link Ownership}. Inactive unless the topic is configured.
 */
@ApplicationScoped
public class OwnershipMembership {
    static final String TOPIC = "sluice.ownership.topic";
    static final String GROUP = "sluice.ownership.group";
    static final String SESSION_TIMEOUT = "sluice.ownership.session-timeout-ms";

    /** How many replicas the service runs as ({@code SLUICE_REPLICAS}); one keeps no lease. */
    static final String REPLICAS = "sluice.replicas";

    private static final Logger LOG = Logger.getLogger(OwnershipMembership.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration AFTER_ERROR = Duration.ofSeconds(1);

    private final Ownership ownership;
    private volatile KafkaConsumer<byte[], byte[]> member; // the current one, for wakeup()
    private volatile boolean stopping;
    private volatile boolean rejoin; // asked by the lease, done on the poll thread
    private Thread polling;

    public OwnershipMembership(Ownership ownership) {
        this.ownership = ownership;
    }

    void start(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        Optional<String> topic = config.getOptionalValue(TOPIC, String.class);
        if (topic.isEmpty()) {
            return;
        }
        boolean leased = config.getOptionalValue(REPLICAS, Integer.class).orElse(1) > 1;
        polling =
                new Thread(
                        () -> stayMember(topic.get(), properties(config), leased),
                        "ownership-member");
        polling.setDaemon(true);
        polling.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (polling == null) {
            return;
        }
        stopping = true;
        KafkaConsumer<byte[], byte[]> current = member;
        if (current != null) {
            current.wakeup();
        }
        polling.join(Duration.ofSeconds(10).toMillis());
    }

    /**
     * Polls until the service stops. Poll throws only for what the consumer does not get over by
     * itself (fenced by another member of the same instance id, refused by the broker's ACLs): then
     * whatever it owned is given up, and a new consumer joins again a second later.
     */
    private void stayMember(String topic, Properties properties, boolean leased) {
        while (!stopping) {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
                member = consumer;
                if (leased) {
                    ownership.attach(
                            consumer,
                            Duration.ofMillis(
                                    Long.parseLong(
                                            properties.getProperty(
                                                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))),
                            () -> rejoin = true);
                }
                consumer.subscribe(List.of(topic), new PausingListener(consumer));
                try {
                    while (!stopping) {
                        if (rejoin) {
                            rejoin = false;
                            consumer.enforceRebalance("lease ran out");
                        }
                        consumer.poll(POLL);
                    }
                } catch (WakeupException e) {
                    // stopping
                } catch (KafkaException e) {
                    LOG.warnf("ownership group on %s: %s; joining again", topic, e.toString());
                    ownership.onPartitionsRevoked(consumer, consumer.assignment());
                }
            } catch (KafkaException e) {
                LOG.warnf("ownership group on %s: %s; trying again", topic, e.toString());
            }
            if (!stopping) {
                LockSupport.parkNanos(AFTER_ERROR.toNanos());
            }
        }
    }

    /** Keeps every assigned partition paused, and tells {@link Ownership} of every change. */
    private final class PausingListener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        PausingListener(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            consumer.pause(assigned);
            ownership.onPartitionsAssigned(consumer, assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            ownership.onPartitionsRevoked(consumer, revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            ownership.onPartitionsRevoked(consumer, lost);
        }
    }

    static Properties properties(Config config) {
        Properties properties = TopicDeclarations.kafkaClientProperties(config);
        String group = config.getValue(GROUP, String.class);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-member");
        config.getOptionalValue(StaticMembership.INSTANCE, String.class)
                .filter(instance -> !instance.isBlank())
                .ifPresent(
                        instance ->
                                properties.put(
                                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                                        instance + "-ownership"));
        properties.put(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                config.getOptionalValue(SESSION_TIMEOUT, String.class).orElse("10000"));
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        properties.put(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        properties.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return properties;
    }
}
