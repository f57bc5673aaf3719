package io.sluice.local;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a Sluice topic from the beginning, as a user's consumer (of alerts, say) would. */
final class TopicReader implements AutoCloseable {
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}");
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "test-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Every record received so far, after one more poll. */
    List<ConsumerRecord<String, String>> poll() {
        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Every record of {@code topics}, each read to its end. */
    static List<ConsumerRecord<String, String>> everything(
            String bootstrapServers, List<String> topics) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String topic : topics) {
            try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
                records.addAll(readToTheEnd(reader));
            }
        }
        return records;
    }

    /** Polls until a poll brings nothing new, the first records having arrived, or 30 s. */
    private static List<ConsumerRecord<String, String>> readToTheEnd(TopicReader reader) {
        List<List<ConsumerRecord<String, String>>> polls = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            polls.add(reader.poll());
                            int n = polls.size();
                            return n >= 3 && polls.get(n - 1).size() == polls.get(n - 2).size();
                        });
        return polls.get(polls.size() - 1);
    }

    /**
     * The record as sent (value and headers), and every base64 run in it decoded, and gunzipped
     * where it is a gzip stream.
     */
    static List<String> readableForms(ConsumerRecord<String, String> record) {
        List<String> forms = new ArrayList<>();
        StringBuilder raw = new StringBuilder(record.value() == null ? "" : record.value());
        for (Header header : record.headers()) {
            raw.append('\n').append(new String(header.value(), StandardCharsets.UTF_8));
        }
        forms.add(raw.toString());
        Matcher runs = BASE64.matcher(raw);
        while (runs.find()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(runs.group());
            } catch (IllegalArgumentException e) {
                continue;
            }
            forms.add(new String(bytes, StandardCharsets.ISO_8859_1));
            try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                forms.add(new String(gzip.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // not a gzip stream
            }
        }
        return forms;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
