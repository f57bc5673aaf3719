package io.sluice.render.helm;

import java.util.List;

/**
 * What Helm's {@code .Capabilities} holds for a render: the cluster's Kubernetes version and the
 * API versions it serves, each {@code group/version} and {@code group/version/Kind} as Helm lists
 * them from discovery.
 */
public record HelmCapabilities(String kubeVersion, List<String> apiVersions) {}
