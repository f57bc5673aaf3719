package io.sluice.contracts.events;

/**
 * The Helm release a HelmRelease's render is for, as apply-service records it in Helm's storage:
 * the release name and namespace Flux computes, the chart's own metadata, and a digest of the
 * merged values (the values themselves stay in the cluster: they may come from Secrets).
 *
 * @param configDigest {@code sha256:<hex>} of the merged values as canonical JSON
 * @param postRenderDigest {@code sha256:<hex>} of the HelmRelease's {@code postRenderers} and
 *     {@code commonMetadata} as canonical JSON, or null when it has neither: a change of either
 *     makes an upgrade, as helm-controller compares its observed digests of them
 */
public record ChartRelease(
        String name,
        String namespace,
        String chartName,
        String chartVersion,
        String appVersion,
        String configDigest,
        String postRenderDigest) {}
