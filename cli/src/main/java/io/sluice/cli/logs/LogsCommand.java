package io.sluice.cli.logs;

import io.sluice.cli.ObjectArgument;
import io.sluice.cli.Target;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.meta.GoDuration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
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

    /**
     * Flux's levels: a warning is logged as an error, as Flux's controllers log a retried failure.
     */
    enum Level {
        debug,
        info,
        error
    }

    @Option(names = "--level", description = "only lines of this level: ${COMPLETION-CANDIDATES}")
    Level level;

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
        List<LogLine> shown = new ArrayList<>();
        for (String service : SERVICES) {
            // each service's lines that are shown, its last --tail of them at most
            ArrayDeque<LogLine> kept = new ArrayDeque<>();
            read.put(
                    service,
                    file(service)
                            .read(
                                    0,
                                    line -> {
                                        if (line.timestamp().isAfter(after) && wanted(line, only)) {
                                            kept.addLast(line);
                                            if (tail >= 0 && kept.size() > tail) {
                                                kept.removeFirst();
                                            }
                                        }
                                    }));
            shown.addAll(kept);
        }
        shown.sort(Comparator.comparing(LogLine::timestamp));
        if (tail >= 0 && shown.size() > tail) {
            shown = shown.subList(shown.size() - tail, shown.size());
        }
        shown.forEach(l -> out.println(l.render()));
        out.flush();
        while (follow) {
            Thread.sleep(500);
            List<LogLine> more = new ArrayList<>();
            for (String service : SERVICES) {
                read.put(
                        service,
                        file(service)
                                .read(
                                        read.get(service),
                                        line -> {
                                            if (wanted(line, only)) {
                                                more.add(line);
                                            }
                                        }));
            }
            more.sort(Comparator.comparing(LogLine::timestamp));
            more.forEach(l -> out.println(l.render()));
            out.flush();
        }
        return 0;
    }

    private LogFile file(String service) {
        return new LogFile(service, logDir.resolve(service + ".log"));
    }

    private boolean wanted(LogLine line, ObjectRef only) {
        if (level != null && !level.name().equals(line.level())) {
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
}
