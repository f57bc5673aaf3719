package io.sluice.contracts.events;

/**
 * render-service built (or failed to build) the manifests of one attempt. The manifests travel as a
 * gzip-compressed, base64-encoded JSON array (see {@link Manifests}), never truncated; exactly one
 * of {@code manifests} and {@code failure} is set. {@code release} is set for a rendered
 * HelmRelease only.
 */
public record RenderResult(
        Attempt attempt, String manifests, int objectCount, Failure failure, ChartRelease release) {
    public static final String TYPE = "io.sluice.rendered.v1";

    public static RenderResult rendered(Attempt attempt, String manifests, int objectCount) {
        return new RenderResult(attempt, manifests, objectCount, null, null);
    }

    public static RenderResult renderedRelease(
            Attempt attempt, String manifests, int objectCount, ChartRelease release) {
        return new RenderResult(attempt, manifests, objectCount, null, release);
    }

    public static RenderResult failed(Attempt attempt, Failure failure) {
        return new RenderResult(attempt, null, 0, failure, null);
    }
}
