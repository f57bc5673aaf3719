package io.sluice.cli.drift;

import io.sluice.cli.Endpoints;
import io.sluice.cli.ObjectArgument;
import io.sluice.cli.Table;
import io.sluice.cli.Target;
import io.sluice.cli.kafka.EventJson;
import io.sluice.cli.kafka.TopicFeed;
import io.sluice.contracts.events.DriftCorrected;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.GoDuration;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The recent drift of a Kustomization's or HelmRelease's objects: what was changed or deleted in
 * the cluster, which fields, by which field managers, and whether Sluice put it back.
 */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = "Show the drift Sluice found and corrected on an object's children.")
public final class DriftCommand implements Callable<Integer> {
    @Mixin Target target;
    @Mixin Endpoints endpoints;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KIND/NAME", description = "a Kustomization or HelmRelease")
    String object;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing drift as it is found")
    boolean follow;

    @Option(
            names = "--since",
            defaultValue = "24h",
            description = "from this long ago (default: ${DEFAULT-VALUE})")
    String since;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ObjectRef owner = ObjectArgument.parse(object, target.namespace);
        try (TopicFeed feed =
                new TopicFeed(
                        endpoints.kafka,
                        Topics.DRIFT,
                        Instant.now().minus(GoDuration.parse(since)))) {
            Table table = table(owner, feed.existing());
            if (table.isEmpty() && !follow) {
                out.println("✔ no drift of " + owner + " since " + since + " ago");
            } else {
                table.print(out);
            }
            out.flush();
            while (follow) {
                Table more = table(owner, feed.next(Duration.ofSeconds(1)));
                if (!more.isEmpty()) {
                    more.printRows(out);
                }
            }
        }
        return 0;
    }

    private static Table table(ObjectRef owner, List<ConsumerRecord<String, String>> records) {
        Table table = new Table("TIME", "OBJECT", "ACTION", "FIELDS", "CHANGED BY", "REVISION");
        for (ConsumerRecord<String, String> record : records) {
            DriftCorrected drift = EventJson.read(record.value(), DriftCorrected.class);
            if (drift == null || !owner.equals(drift.owner())) {
                continue;
            }
            table.row(
                    String.valueOf(drift.correctedAt()),
                    drift.object().display(),
                    action(drift),
                    drift.recreated() ? "(deleted)" : String.join(", ", drift.fields()),
                    String.join(", ", drift.changedBy()),
                    drift.revision());
        }
        return table;
    }

    private static String action(DriftCorrected drift) {
        if (drift.warnOnly()) {
            return "left (warn)";
        }
        return drift.recreated() ? "recreated" : "corrected";
    }
}
