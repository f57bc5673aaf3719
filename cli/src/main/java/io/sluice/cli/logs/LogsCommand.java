package io.sluice.cli.logs;

import io.sluice.cli.ObjectArgument;
import io.sluice.cli.Target;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.GoDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flux logs} for Sluice: the four services' logs merged in time order, for one object or
 * all, at one level, followed as they grow.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Display the four services' logs, as flux logs does for Flux's controllers.")
public final class LogsCommand implements Callable<Integer> {
    static final List<String> SERVICES =
            List.of("source-service", "render-service", "apply-service", "health-service");

    @Mixin Target target;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KIND/NAME", description = "only this object's lines")
    String object;

    @Option(names = "--level", description = "only lines of this level: debug, info, warn, error")
    String level;

    @Option(names = "--kind", description = "only lines about objects of this kind")
    String kind;

    @Option(
            names = {"-f", "--follow"},
            description = "stream the logs as they grow")
    boolean follow;

    @Option(names = "--tail", defaultValue = "-1", description = "the last N lines only")
    int tail;

    @Option(names = "--since", description = "only lines newer than this (5s, 2m, 3h)")
    String since;

    @Option(
            names = "--log-dir",
            defaultValue = "${env:SLUICE_LOG_DIR}",
            description = "the services' log files (<service>.log; default: $SLUICE_LOG_DIR)")
    Path logDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (logDir == null || !Files.isDirectory(logDir)) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "✗ no log directory: set --log-dir or SLUICE_LOG_DIR (.local/env has it)");
            return 1;
        }
        ObjectRef only = object == null ? null : ObjectArgument.parse(object, target.namespace);
        Instant after = since == null ? Instant.MIN : Instant.now().minus(GoDuration.parse(since));
        Map<String, Long> read = new LinkedHashMap<>();
        List<LogLine> lines = new ArrayList<>();
        for (String service : SERVICES) {
            read.put(service, readFrom(service, 0, lines));
        }
        List<LogLine> shown =
                lines.stream()
                        .filter(l -> l.timestamp().isAfter(after) && wanted(l, only))
                        .sorted(Comparator.comparing(LogLine::timestamp))
                        .toList();
        if (tail >= 0 && shown.size() > tail) {
            shown = shown.subList(shown.size() - tail, shown.size());
        }
        shown.forEach(l -> out.println(l.render()));
        out.flush();
        while (follow) {
            Thread.sleep(500);
            List<LogLine> more = new ArrayList<>();
            for (String service : SERVICES) {
                read.put(service, readFrom(service, read.get(service), more));
            }
            more.stream()
                    .filter(l -> wanted(l, only))
                    .sorted(Comparator.comparing(LogLine::timestamp))
                    .forEach(l -> out.println(l.render()));
            out.flush();
        }
        return 0;
    }

    private boolean wanted(LogLine line, ObjectRef only) {
        if (level != null && !level.equalsIgnoreCase(line.level())) {
            return false;
        }
        if (kind != null && !kind.equalsIgnoreCase(line.kind())) {
            return false;
        }
        if (only != null) {
            return only.kind().equals(line.kind())
                    && only.name().equals(line.name())
                    && only.namespace().equals(line.namespace());
        }
        return line.namespace() == null ? target.allNamespaces : target.covers(line.namespace());
    }

    /** Reads the service's log from {@code offset}; returns where it ended (a whole line). */
    private long readFrom(String service, long offset, List<LogLine> into) throws IOException {
        Path file = logDir.resolve(service + ".log");
        if (!Files.isRegularFile(file)) {
            return offset;
        }
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
            long start = log.length() < offset ? 0 : offset; // a new file from the start
            log.seek(start);
            byte[] rest = new byte[(int) (log.length() - start)];
            log.readFully(rest);
            String text = new String(rest, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n') + 1;
            text.substring(0, end)
                    .lines()
                    .forEach(line -> LogLine.parse(service, line).ifPresent(into::add));
            return start + text.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
