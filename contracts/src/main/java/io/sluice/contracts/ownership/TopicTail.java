package io.sluice.contracts.ownership;

import io.sluice.contracts.events.TopicDeclarations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Reads again what partitions newly owned by a replica held before it got them: the group goes on
 * from its committed offset, so the records before it (handled by the replica that had the
 * partition, or by this one before a restart) would otherwise be lost to this replica's memory.
 * Read with a consumer of its own, outside the group, from a point in time up to the committed
 * offset; what comes after is the group's. Only the last record of each wanted key is kept.
 */
public final class TopicTail {
    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A reading that takes longer is cut short: its partitions give nothing. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    /** As large as a record may be (the producers' max.request.size). */
    private static final int MAX_FETCH = 16 * 1024 * 1024;

    private TopicTail() {}

    /**
     * The last record's value of each wanted key on the partitions of {@code change} (the
     * partitions that came), among those written since {@code since} and before the group's offset
     * there, but none for a key that has records after that offset: the group hands those on
     * anyway, newer. A partition not read to its end in time gives none either (what was read of it
     * may be old).
     */
    public static Map<String, String> lastBefore(
            OwnershipChange change, Instant since, Predicate<String> wanted, String clientId) {
        String topic = change.topic();
        Map<TopicPartition, Long> from = new HashMap<>();
        change.assigned()
                .forEach(
                        (partition, offset) -> {
                            if (offset > 0) {
                                from.put(new TopicPartition(topic, partition), offset);
                            }
                        });
        if (from.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Map<String, String>> lastOf = new HashMap<>();
        Set<String> comingLive = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties(clientId))) {
            consumer.assign(from.keySet());
            Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet(), TIMEOUT);
            Map<TopicPartition, Long> at = new HashMap<>();
            from.keySet().forEach(partition -> at.put(partition, since.toEpochMilli()));
            Set<TopicPartition> reading = new HashSet<>();
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> first :
                    consumer.offsetsForTimes(at, TIMEOUT).entrySet()) {
                if (first.getValue() != null) {
                    consumer.seek(first.getKey(), first.getValue().offset());
                    reading.add(first.getKey());
                    lastOf.put(first.getKey(), new HashMap<>());
                }
            }
            consumer.pause(differenceOf(from.keySet(), reading));
            Instant deadline = Instant.now().plus(DEADLINE);
            while (!reading.isEmpty() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(topic, record.partition());
                    if (record.key() == null || !wanted.test(record.key())) {
                        continue;
                    }
                    if (record.offset() >= from.get(partition)) {
                        comingLive.add(record.key());
                    } else {
                        lastOf.get(partition).put(record.key(), record.value());
                    }
                }
                reading.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
                consumer.pause(differenceOf(from.keySet(), reading));
            }
            if (!reading.isEmpty()) {
                LOG.warnf(
                        "%s's partitions %s not read in %s: not replayed",
                        topic, reading, DEADLINE);
                reading.forEach(lastOf::remove);
            }
        }
        Map<String, String> last = new HashMap<>();
        lastOf.values().forEach(last::putAll);
        comingLive.forEach(last::remove);
        return last;
    }

    private static Set<TopicPartition> differenceOf(
            Set<TopicPartition> all, Set<TopicPartition> some) {
        Set<TopicPartition> rest = new HashSet<>(all);
        rest.removeAll(some);
        return rest;
    }

    private static Properties properties(String clientId) {
        Properties properties = TopicDeclarations.kafkaClientProperties(ConfigProvider.getConfig());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_FETCH));
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(MAX_FETCH));
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }
}
