package io.sluice.render.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.contracts.admin.ObjectStates;
import io.sluice.contracts.events.Attempt;
import io.sluice.contracts.events.Envelopes;
import io.sluice.contracts.events.Failure;
import io.sluice.contracts.events.RenderResult;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.logging.ObjectLogContext;
import io.sluice.contracts.meta.Metrics;
import io.sluice.contracts.meta.Reasons;
import io.sluice.contracts.ownership.Ownership;
import io.sluice.contracts.trace.Stages;
import io.sluice.render.build.BuildException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * What every render ends with, whatever it rendered: the result sent to apply-service, the admin
 * record, a log line carrying the object and revision, and the render's duration.
 */
@ApplicationScoped
public class RenderPublisher {
    private static final Logger LOG = Logger.getLogger(RenderPublisher.class);

    private final MutinyEmitter<RenderResult> rendered;
    private final ObjectStates states;
    private final MeterRegistry metrics;
    private final Ownership ownership;

    public RenderPublisher(
            @Channel(Topics.RENDERED) MutinyEmitter<RenderResult> rendered,
            ObjectStates states,
            MeterRegistry metrics,
            Ownership ownership) {
        this.rendered = rendered;
        this.ownership = ownership;
        this.states = states;
        this.metrics = metrics;
    }

    /**
     * A render; a build error is reported as {@code BuildFailed}, a fetch error as {@code
     * ArtifactFailed}.
     */
    public interface Render {
        RenderResult run() throws BuildException, IOException, InterruptedException;
    }

    /**
     * Renders with {@code render} and publishes its result, or the reason it failed, for {@code
     * attempt}; returns it.
     */
    public RenderResult publish(Attempt attempt, Render render) {
        Stages.revision(attempt.revision());
        Timer.Sample timer = Timer.start(metrics);
        try (ObjectLogContext logged = ObjectLogContext.of(attempt.object(), attempt.revision())) {
            RenderResult result = outcome(attempt, render);
            if (!ownership.owns(attempt.object())) {
                // it left this replica while it rendered: the new owner renders it, maybe from
                // a newer artifact, and this render must not follow that one on the topic
                LOG.infof("no longer this replica's: not published");
                return result;
            }
            try {
                rendered.sendMessageAndAwait(
                        Envelopes.of(
                                attempt.object(), RenderResult.TYPE, "render-service", result));
            } catch (RuntimeException e) {
                if (!tooLarge(e)) {
                    throw e; // the broker is out of reach: the render is tried again (see
                    // RenderTriggers)
                }
                result =
                        RenderResult.failed(
                                attempt,
                                new Failure(
                                        Reasons.BUILD_FAILED,
                                        "the rendered objects of "
                                                + attempt.object()
                                                + " ("
                                                + result.objectCount()
                                                + " objects) are larger, compressed, than Kafka takes in one record (16 MiB)"));
                rendered.sendMessageAndAwait(
                        Envelopes.of(
                                attempt.object(), RenderResult.TYPE, "render-service", result));
            }
            if (result.failure() == null) {
                states.succeeded(
                        attempt.object(),
                        attempt.revision(),
                        "Rendered",
                        result.objectCount() + " objects");
                LOG.infof("rendered %d objects", result.objectCount());
            } else {
                states.failed(
                        attempt.object(),
                        attempt.revision(),
                        result.failure().reason(),
                        result.failure().message());
                LOG.warnf("%s: %s", result.failure().reason(), result.failure().message());
                Stages.failed(result.failure().reason(), result.failure().message());
            }
            return result;
        } finally {
            timer.stop(
                    metrics.timer(
                            Metrics.RECONCILE_DURATION,
                            "kind",
                            attempt.object().kind(),
                            "stage",
                            "render"));
        }
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static RenderResult outcome(Attempt attempt, Render render) {
        try {
            return render.run();
        } catch (BuildException e) {
            return RenderResult.failed(attempt, new Failure(e.reason(), e.getMessage()));
        } catch (IOException e) {
            // a refused connection has no message of its own: name the failure instead of printing
            // "null"
            String cause =
                    e.getMessage() != null
                            ? e.getMessage()
                            : "cannot fetch the artifact: " + e.getClass().getSimpleName();
            return RenderResult.failed(attempt, new Failure(Reasons.ARTIFACT_FAILED, cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RenderResult.failed(
                    attempt, new Failure(Reasons.ARTIFACT_FAILED, "interrupted"));
        } catch (RuntimeException e) {
            // reading the cluster failed (say, the API server is briefly away): reported like any
            // failure, and retried
            return RenderResult.failed(
                    attempt, new Failure(Reasons.BUILD_FAILED, "render failed: " + e.getMessage()));
        }
    }
}
