package io.sluice.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a service's JSON log, in the shape Flux's controllers write (contracts'
 * FluxLogFormatter: {@code ts}, {@code level}, {@code msg}, the object as {@code controllerKind},
 * {@code namespace}, {@code name}), with the object it is about: the one the record names, else the
 * first {@code Kind/namespace/name} its message names.
 */
record LogLine(
        Instant timestamp,
        String level,
        String service,
        String kind,
        String namespace,
        String name,
        String message) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJECT =
            Pattern.compile(
                    "\\b(Kustomization|HelmRelease|GitRepository|OCIRepository|HelmRepository|HelmChart|Receiver)/([a-z0-9][a-z0-9.-]*)/([a-z0-9][a-z0-9.-]*)");

    /** Empty for a line that is not a JSON log record. */
    static Optional<LogLine> parse(String service, String text) {
        if (!text.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode record = JSON.readTree(text);
            Instant timestamp = Instant.parse(record.path("ts").asText());
            String message = record.path("msg").asText();
            String level = level(record.path("level").asText());
            String kind = record.path("controllerKind").asText("");
            if (!kind.isEmpty()) {
                return Optional.of(
                        new LogLine(
                                timestamp,
                                level,
                                service,
                                kind,
                                record.path("namespace").asText(),
                                record.path("name").asText(),
                                message));
            }
            Matcher named = OBJECT.matcher(message);
            boolean found = named.find();
            return Optional.of(
                    new LogLine(
                            timestamp,
                            level,
                            service,
                            found ? named.group(1) : null,
                            found ? named.group(2) : null,
                            found ? named.group(3) : null,
                            message));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Flux's words, {@code debug}, {@code info}, {@code error}, for a record's level: already one
     * of them, or Quarkus's (a line logged before startup), where a warning is an error as the
     * formatter has it.
     */
    private static String level(String written) {
        return switch (written.toUpperCase(Locale.ROOT)) {
            case "SEVERE", "ERROR", "FATAL", "WARNING", "WARN" -> "error";
            case "FINE", "FINER", "FINEST", "DEBUG", "TRACE", "CONFIG" -> "debug";
            default -> "info";
        };
    }

    /** As {@code flux logs} prints a line: time, level, {@code Kind/name.namespace}, message. */
    String render() {
        String subject = kind == null ? service : kind + "/" + name + "." + namespace;
        return timestamp + " " + level + " " + subject + " - " + message;
    }
}
