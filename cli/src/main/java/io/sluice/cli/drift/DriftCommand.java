package io.sluice.cli.drift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sluice.cli.Endpoints;
import io.sluice.cli.ObjectArgument;
import io.sluice.cli.Table;
import io.sluice.cli.Target;
import io.sluice.cli.kafka.TopicFeed;
import io.sluice.contracts.events.DriftCorrected;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.meta.GoDuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
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
    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new JavaTimeModule());

    @Mixin Target target;
    @Mixin Endpoints endpoints;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KIND/NAME", description = "a Kustomization or HelmRelease")
    String object;

    @Option(
            names = "--since",
            defaultValue = "24h",
            description = "from this long ago (default: ${DEFAULT-VALUE})")
    String since;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ObjectRef owner = ObjectArgument.parse(object, target.namespace);
        Table table = new Table("TIME", "OBJECT", "ACTION", "FIELDS", "CHANGED BY", "REVISION");
        try (TopicFeed feed =
                new TopicFeed(
                        endpoints.kafka,
                        Topics.DRIFT,
                        Instant.now().minus(GoDuration.parse(since)))) {
            for (ConsumerRecord<String, String> record : feed.existing()) {
                DriftCorrected drift = read(record.value());
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
        }
        if (table.isEmpty()) {
            out.println("✔ no drift of " + owner + " since " + since + " ago");
            out.flush();
            return 0;
        }
        table.print(out);
        return 0;
    }

    private static String action(DriftCorrected drift) {
        if (drift.warnOnly()) {
            return "left (warn)";
        }
        return drift.recreated() ? "recreated" : "corrected";
    }

    private static DriftCorrected read(String value) {
        try {
            return value == null ? null : JSON.readValue(value, DriftCorrected.class);
        } catch (IOException e) {
            return null;
        }
    }
}
