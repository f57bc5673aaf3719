package io.sluice.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

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

    /**
     * When one Kustomization's change went through each service, in ms after {@code start}: the
     * artifact of {@code revision} stored, the Kustomization rendered and applied at it, and its
     * Ready written (the alert health-service logs then).
     */
    static String ofOne(Path logs, String name, String revision, Instant start) throws IOException {
        return "artifact %s, rendered %s, applied %s, Ready written %s"
                .formatted(
                        first(
                                logs.resolve("source-service.log"),
                                "stored artifact for revision '" + revision + "'",
                                e -> true,
                                start),
                        first(
                                logs.resolve("render-service.log"),
                                "rendered ",
                                e -> of(e, "rendered ", name, revision),
                                start),
                        first(
                                logs.resolve("apply-service.log"),
                                "applied: ",
                                e -> of(e, "applied: ", name, revision),
                                start),
                        first(
                                logs.resolve("health-service.log"),
                                "Applied revision: " + revision,
                                e -> e.path("msg").asText().contains("/" + name + " "),
                                start));
    }

    private static boolean of(JsonNode entry, String prefix, String name, String revision) {
        return entry.path("msg").asText().startsWith(prefix)
                && name.equals(entry.path("name").asText())
                && revision.equals(entry.path("revision").asText());
    }

    /**
     * The first line after {@code start} that holds {@code text} and {@code matches}, as "+N ms"
     * after it.
     */
    private static String first(Path log, String text, Predicate<JsonNode> matches, Instant start)
            throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(log)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("{") || !line.contains(text)) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                Instant at = Instant.parse(entry.path("ts").asText());
                if (at.isAfter(start) && matches.test(entry)) {
                    return "+" + Duration.between(start, at).toMillis() + " ms";
                }
            }
        }
        return "not logged";
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
