package io.sluice.cli.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** The events on Sluice's topics as the CLI reads them. */
public final class EventJson {
    // a newer Sluice's events may carry fields this CLI does not know: they are skipped
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventJson() {}

    /** The event a record's value holds; null when there is none or it cannot be read. */
    public static <T> T read(String value, Class<T> type) {
        try {
            return value == null ? null : JSON.readValue(value, type);
        } catch (IOException e) {
            return null;
        }
    }
}
