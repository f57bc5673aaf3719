package io.sluice.cli.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cli.Endpoints;
import io.sluice.cli.ObjectArgument;
import io.sluice.cli.Table;
import io.sluice.cli.Target;
import io.sluice.contracts.events.ObjectRef;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * An object's last reconcile as Jaeger holds it: each span of the trace in time order, its service,
 * the object and revision of the stage spans, when it began and how long it took; then the trace's
 * link.
 */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = "Show the spans of an object's last reconcile, from Jaeger.")
public final class TraceCommand implements Callable<Integer> {
    @Mixin Target target;
    @Mixin Endpoints endpoints;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KIND/NAME", description = "e.g. ks/apps, gitrepository/flux-system")
    String object;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (endpoints.jaeger == null || endpoints.jaeger.isBlank()) {
            err.println("✗ no Jaeger: set --jaeger-url or JAEGER_URL (.local/env has it)");
            return 1;
        }
        ObjectRef ref = ObjectArgument.parse(object, target.namespace);
        JaegerQuery jaeger = new JaegerQuery(endpoints.jaeger);
        JsonNode trace = jaeger.latest(ref, Duration.ofHours(24)).orElse(null);
        if (trace == null) {
            err.println("✗ no trace of " + ref + " in the last 24h");
            return 1;
        }
        long start = JaegerQuery.start(trace);
        List<JsonNode> spans = new ArrayList<>();
        trace.path("spans").forEach(spans::add);
        spans.sort(Comparator.comparingLong(s -> s.path("startTime").asLong()));
        Table table =
                new Table("SERVICE", "SPAN", "OBJECT", "REVISION", "START", "DURATION", "STATUS");
        for (JsonNode span : spans) {
            table.row(
                    trace.path("processes")
                            .path(span.path("processID").asText())
                            .path("serviceName")
                            .asText(),
                    span.path("operationName").asText(),
                    tag(span, "sluice.object"),
                    tag(span, "sluice.revision"),
                    "+" + millis(span.path("startTime").asLong() - start),
                    millis(span.path("duration").asLong()),
                    "error".equals(tag(span, "otel.status_code").toLowerCase()) ? "Failed" : "");
        }
        table.print(out);
        out.println();
        out.println("trace " + trace.path("traceID").asText() + ": " + spans.size() + " spans");
        out.println("Jaeger: " + jaeger.link(trace.path("traceID").asText()));
        out.flush();
        return 0;
    }

    private static String tag(JsonNode span, String key) {
        for (JsonNode tag : span.path("tags")) {
            if (key.equals(tag.path("key").asText())) {
                return tag.path("value").asText();
            }
        }
        return "";
    }

    private static String millis(long micros) {
        return (micros / 1000) + "ms";
    }
}
