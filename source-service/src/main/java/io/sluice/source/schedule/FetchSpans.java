package io.sluice.source.schedule;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.trace.Stages;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A source's reconcile as the {@code fetch} span that begins its trace: the artifact it announces
 * carries the trace on to render, apply and health.
 */
public final class FetchSpans {
    private FetchSpans() {}

    public static <T extends HasMetadata> Function<T, Duration> traced(
            Tracer tracer, String kind, Function<T, Duration> reconcile) {
        BiFunction<T, Boolean, Duration> traced =
                traced(tracer, kind, (source, atInterval) -> reconcile.apply(source));
        return source -> traced.apply(source, false);
    }

    public static <T extends HasMetadata> BiFunction<T, Boolean, Duration> traced(
            Tracer tracer, String kind, BiFunction<T, Boolean, Duration> reconcile) {
        return (source, atInterval) ->
                Stages.call(
                        tracer,
                        Stages.FETCH,
                        new ObjectRef(
                                kind,
                                source.getMetadata().getNamespace(),
                                source.getMetadata().getName()),
                        Context.root(),
                        () -> reconcile.apply(source, atInterval));
    }
}
