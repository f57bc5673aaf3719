package io.sluice.source.helm;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a chart repository's index.yaml: a chart at one version, where its archive is, and
 * when it was packaged ({@code created}; the epoch when the index does not say).
 */
public record ChartVersion(
        String name, String version, List<String> urls, String digest, Instant created) {}
