package io.sluice.contracts.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Records consumed as JSON text and parsed by the consumer, so that one it cannot read is its own
 * to handle: skipped, so the consumer goes on, and reported on the object its key names.
 */
public final class TextRecords {
    private TextRecords() {}

    /** The event in {@code payload}; null when it is none. */
    public static <T> T parse(ObjectMapper json, String payload, Class<T> type) {
        try {
            return payload == null ? null : json.readValue(payload, type);
        } catch (IOException e) {
            return null;
        }
    }

    /** The record's key, as sent. */
    public static Object key(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getKey)
                .orElse(null);
    }
}
