package io.sluice.contracts.events;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Wraps an event as a binary-mode CloudEvent keyed by the object it concerns. */
public final class Envelopes {

    private Envelopes() {}

    public static <T> Message<T> of(ObjectRef object, String type, String source, T payload) {
        return Message.of(payload)
                .addMetadata(
                        OutgoingKafkaRecordMetadata.<String>builder().withKey(object.key()).build())
                .addMetadata(
                        OutgoingCloudEventMetadata.builder()
                                .withId(UUID.randomUUID().toString())
                                .withType(type)
                                .withSource(URI.create("sluice:" + source))
                                .withSubject(object.key())
                                .withTimestamp(ZonedDateTime.now())
                                .build());
    }
}
