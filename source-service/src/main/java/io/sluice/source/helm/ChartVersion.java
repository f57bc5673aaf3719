package io.sluice.source.helm;

import java.util.List;

/**
 * One entry of a chart repository's index.yaml: a chart at one version and where its archive is.
 */
public record ChartVersion(String name, String version, List<String> urls, String digest) {}
