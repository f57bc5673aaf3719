package io.sluice.contracts.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.sluice.contracts.events.ObjectRef;
import io.smallrye.reactive.messaging.TracingMetadata;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The spans that name a reconcile's stages, one per service ({@code fetch}, {@code render}, {@code
 * apply}, {@code health}), each with the object and revision as attributes. The Kafka hops between
 * them carry the trace, so one trace in Jaeger follows a change from the fetch to Ready.
 */
public final class Stages {
    public static final String FETCH = "fetch";
    public static final String RENDER = "render";
    public static final String APPLY = "apply";
    public static final String HEALTH = "health";

    /** {@code Kustomization/flux-system/apps}. */
    public static final AttributeKey<String> OBJECT = AttributeKey.stringKey("sluice.object");

    /** {@code main@sha1:…}, a chart version, … */
    public static final AttributeKey<String> REVISION = AttributeKey.stringKey("sluice.revision");

    private Stages() {}

    /** The context a consumed record's trace goes on in: its receive span's, else the current. */
    public static Context of(Message<?> message) {
        return TracingMetadata.fromMessage(message)
                .map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
    }

    /**
     * Runs {@code work} in a span of the stage, current while it runs (so what it sends goes on).
     */
    public static <R> R call(
            Tracer tracer, String stage, ObjectRef object, Context parent, Supplier<R> work) {
        Span span = start(tracer, stage, object, parent);
        try (Scope scope = parent.with(span).makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    public static void run(
            Tracer tracer, String stage, ObjectRef object, Context parent, Runnable work) {
        call(
                tracer,
                stage,
                object,
                parent,
                () -> {
                    work.run();
                    return null;
                });
    }

    /** A span the caller ends (a wait that outlives the call that began it). */
    public static Span start(Tracer tracer, String stage, ObjectRef object, Context parent) {
        return tracer.spanBuilder(stage)
                .setParent(parent)
                .setAttribute(OBJECT, object.key())
                .startSpan();
    }

    /** Marks the current stage's span failed, with the reason and message the status carries. */
    public static void failed(String reason, String message) {
        Span.current().setStatus(StatusCode.ERROR, reason + ": " + message);
    }

    /** Names the revision on the current stage's span. */
    public static void revision(String revision) {
        if (revision != null && !revision.isEmpty()) {
            Span.current().setAttribute(REVISION, revision);
        }
    }
}
