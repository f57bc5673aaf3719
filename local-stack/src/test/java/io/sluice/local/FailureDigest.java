package io.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services logged at warning or error while a failed test ran, short enough to read in the
 * tail of a CI log (where the services' own logs, left on the CI machine, cannot be read): appended
 * to {@code target/failure-digest.txt}, which {@code .ci/run} prints when the tests fail.
 */
final class FailureDigest {
    static final Path FILE = Path.of("target", "failure-digest.txt");
    private static final int MAX_LINES = 30;
    private static final int MAX_WIDTH = 240;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");
    private static final Pattern LEVEL = Pattern.compile("\"level\":\"(warn|error)\"");
    private static final Pattern LOGGER = Pattern.compile("\"logger\":\"[^\"]*?([^.\"]+)\"");
    private static final Pattern MSG = Pattern.compile("\"msg\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private FailureDigest() {}

    /**
     * Appends the digest: each running replica's liveness and ownership now, then what the logs in
     * {@code logs} (one file per replica) said at warning or error since {@code start}.
     */
    static void write(String test, Instant start, LocalStack stack, Path logs) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "failed: " + test + " (services' state, warnings and errors since " + start + ")");
        for (String name : LocalStack.SERVICES) {
            for (ServiceProcess replica : stack.replicas(name)) {
                lines.add(clip(replica.name() + " " + state(replica)));
            }
        }
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                String service = log.getFileName().toString().replace(".log", "");
                for (String line : notable(log, start.toString())) {
                    lines.add(clip(service + " " + line));
                }
            }
            if (lines.size() > MAX_LINES) {
                int dropped = lines.size() - MAX_LINES;
                lines = new ArrayList<>(lines.subList(0, MAX_LINES));
                lines.add("... " + dropped + " more");
            }
            Files.createDirectories(FILE.getParent());
            Files.write(FILE, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Liveness and ownership, as {@code /q/health/live} and {@code /admin/ownership} answer. */
    private static String state(ServiceProcess replica) {
        if (!replica.isRunning()) {
            return "not running";
        }
        try {
            HttpResponse<String> live =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(replica.url() + "/q/health/live"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return "live " + live.statusCode() + ", ownership " + replica.ownership();
        } catch (IOException e) {
            return "not answering: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * One line per distinct logger and message start, time-stamped by its first occurrence; the
     * Kafka client's connection chatter (one line per retry during any broker outage) left out.
     */
    private static List<String> notable(Path log, String since) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher level = LEVEL.matcher(line);
                Matcher ts = TS.matcher(line);
                Matcher logger = LOGGER.matcher(line);
                Matcher msg = MSG.matcher(line);
                if (!level.find()
                        || !ts.find()
                        || ts.group(1).compareTo(since) < 0
                        || !logger.find()
                        || !msg.find()
                        || logger.group(1).equals("NetworkClient")) {
                    continue;
                }
                String text = msg.group(1);
                String key = logger.group(1) + text.substring(0, Math.min(60, text.length()));
                if (seen.add(key)) {
                    out.add(ts.group(1).substring(11) + " " + logger.group(1) + ": " + text);
                }
            }
        }
        return out;
    }

    private static String clip(String line) {
        return line.length() <= MAX_WIDTH ? line : line.substring(0, MAX_WIDTH) + "…";
    }
}
