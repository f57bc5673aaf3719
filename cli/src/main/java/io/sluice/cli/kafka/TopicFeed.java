package io.sluice.cli.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A topic's records from a point in time, read without a consumer group (the CLI commits nothing
 * and takes no partition from Sluice's services): what is there now, then what arrives.
 */
public final class TopicFeed implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private static final Duration READ_WITHIN = Duration.ofSeconds(30);
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    public TopicFeed(String bootstrapServers, String topic, Instant since) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        // a reader: it never creates Sluice's topics
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        if (partitions.isEmpty()) {
            return; // not created yet: nothing to read until it is
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times);
        ends.putAll(consumer.endOffsets(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
        }
    }

    /**
     * The records there now (up to the end offsets seen when the feed opened), within 30 s: a
     * broker gone meanwhile is an error, not a wait without end.
     */
    public List<ConsumerRecord<String, String>> existing() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(READ_WITHIN);
        while (!caughtUp()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        "the broker did not serve the whole topic within "
                                + READ_WITHIN.toSeconds()
                                + "s");
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    /** The records that arrived since the last call. */
    public List<ConsumerRecord<String, String>> next(Duration wait) throws InterruptedException {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        if (consumer.assignment().isEmpty()) {
            Thread.sleep(wait.toMillis()); // the topic did not exist when the feed opened
            return records;
        }
        consumer.poll(wait).forEach(records::add);
        return records;
    }

    private boolean caughtUp() {
        return ends.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
