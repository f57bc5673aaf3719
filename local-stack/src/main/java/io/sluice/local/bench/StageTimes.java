package io.sluice.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a Sluice run's time went, from the services' JSON logs: how many renders and applies ended
 * after {@code start}, and when the last of each ended, as seconds after it.
 */
final class StageTimes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageTimes() {}

    static String of(Path logs, Instant start) throws IOException {
        return "renders "
                + stage(logs.resolve("render-service.log"), "rendered ", start)
                + ", applies "
                + stage(logs.resolve("apply-service.log"), "applied: ", start);
    }

    private static String stage(Path log, String prefix, Instant start) throws IOException {
        long count = 0;
        Instant last = start;
        try (BufferedReader lines = Files.newBufferedReader(log)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.contains(prefix)) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                Instant at = Instant.parse(entry.path("ts").asText());
                if (entry.path("msg").asText().startsWith(prefix) && at.isAfter(start)) {
                    count++;
                    last = at.isAfter(last) ? at : last;
                }
            }
        }
        return "%d, the last at +%.1f s"
                .formatted(count, Duration.between(start, last).toMillis() / 1000.0);
    }
}
