package io.sluice.contracts.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class OwnershipLeaseTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void runsOutTwoThirdsOfTheSessionTimeoutAfterTheLastResponse() {
        OwnershipLease lease = new OwnershipLease(Duration.ofSeconds(30));
        assertThat(lease.term()).isEqualTo(Duration.ofSeconds(20));
        assertThat(lease.runOut(5, 0)).isFalse();
        assertThat(lease.runOut(5, 20 * SECOND)).isFalse();
        assertThat(lease.runOut(6, 21 * SECOND)).as("a response came: renewed").isFalse();
        assertThat(lease.runOut(6, 41 * SECOND)).isFalse();
        assertThat(lease.runOut(6, 41 * SECOND + 1)).isTrue();
        lease.renew(50 * SECOND);
        assertThat(lease.runOut(6, 60 * SECOND)).as("renewed by a rebalance").isFalse();
    }

    /** The count the lease reads is the Kafka client's own (a renamed metric would read 0). */
    @Test
    void readsTheResponsesAKafkaConsumerCounts() {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                                ConsumerConfig.GROUP_ID_CONFIG, "lease-test"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            assertThat(
                            consumer.metrics().keySet().stream()
                                    .filter(name -> name.name().equals("response-total"))
                                    .map(name -> name.group()))
                    .contains("consumer-metrics");
            assertThat(OwnershipLease.responses(consumer)).isZero();
        }
    }
}
