package io.sluice.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a service's consumer group has committed: a fault test kills a service once a record is
 * behind it, so that the restarted service does not read that record again and must heal without
 * it.
 */
public final class ConsumerOffsets {
    private static final Duration POLL = Duration.ofMillis(200);

    private ConsumerOffsets() {}

    /**
     * Waits for a record of {@code topic} that {@code which} matches, then until the consumer group
     * {@code group} has committed its offset past it. False when either did not happen {@code
     * within}.
     */
    public static boolean awaitCommittedPast(
            String bootstrapServers,
            String topic,
            String group,
            Predicate<ConsumerRecord<String, String>> which,
            Duration within)
            throws InterruptedException, ExecutionException {
        Instant deadline = Instant.now().plus(within);
        ConsumerRecord<String, String> record = null;
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "offsets-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> polled : consumer.poll(POLL)) {
                    if (which.test(polled)) {
                        record = polled;
                    }
                }
                if (record != null) {
                    break;
                }
            }
        }
        if (record == null) {
            return false;
        }
        TopicPartition partition = new TopicPartition(topic, record.partition());
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (Instant.now().isBefore(deadline)) {
                OffsetAndMetadata committed =
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(partition);
                if (committed != null && committed.offset() > record.offset()) {
                    return true;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        return false;
    }
}
