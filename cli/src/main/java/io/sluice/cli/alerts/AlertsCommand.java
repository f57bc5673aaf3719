package io.sluice.cli.alerts;

import io.sluice.cli.Endpoints;
import io.sluice.cli.Table;
import io.sluice.cli.Target;
import io.sluice.cli.kafka.EventJson;
import io.sluice.cli.kafka.TopicFeed;
import io.sluice.contracts.events.Alert;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.GoDuration;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The alert stream ({@code sluice.alerts.v1}) as a table: the recent ones, then as they come. */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Show Sluice's alerts (the sluice.alerts.v1 topic), and follow them.")
public final class AlertsCommand implements Callable<Integer> {
    @Mixin Target target;
    @Mixin Endpoints endpoints;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing alerts as they come")
    boolean follow;

    @Option(
            names = "--since",
            defaultValue = "1h",
            description = "from this long ago (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--level", description = "only alerts of this severity: info, error")
    String level;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TopicFeed feed =
                new TopicFeed(
                        endpoints.kafka,
                        Topics.ALERTS,
                        Instant.now().minus(GoDuration.parse(since)))) {
            Table table = new Table("TIME", "SEVERITY", "OBJECT", "REASON", "REVISION", "MESSAGE");
            add(table, feed.existing());
            table.print(out);
            while (follow) {
                Table more =
                        new Table("TIME", "SEVERITY", "OBJECT", "REASON", "REVISION", "MESSAGE");
                add(more, feed.next(Duration.ofSeconds(1)));
                if (!more.isEmpty()) {
                    more.printRows(out);
                }
            }
        }
        return 0;
    }

    /** The records' alerts in scope, oldest first (partitions interleave). */
    private void add(Table table, List<ConsumerRecord<String, String>> records) {
        List<Alert> alerts =
                records.stream()
                        .map(r -> EventJson.read(r.value(), Alert.class))
                        .filter(a -> a != null && a.object() != null && a.severity() != null)
                        .filter(a -> target.covers(a.object().namespace()))
                        .filter(a -> level == null || level.equalsIgnoreCase(a.severity().name()))
                        .sorted(
                                Comparator.comparing(
                                        a -> a.timestamp() == null ? Instant.EPOCH : a.timestamp()))
                        .toList();
        for (Alert alert : alerts) {
            table.row(
                    Objects.toString(alert.timestamp(), ""),
                    alert.severity().name(),
                    alert.object().key(),
                    alert.reason(),
                    alert.revision(),
                    alert.message());
        }
    }
}
