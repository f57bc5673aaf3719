package io.sluice.local;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Counts from the API server's own metrics ({@code /metrics}), as the admin client reads them. */
public final class ApiServerMetrics {
    private ApiServerMetrics() {}

    /**
     * Dry-run requests the API server has answered ({@code apiserver_request_total} with {@code
     * dry_run="All"}), for kinds of {@code group} only unless null.
     */
    public static long dryRuns(KubernetesClient client, String group) {
        return client.raw(client.getMasterUrl() + "metrics")
                .lines()
                .filter(line -> line.startsWith("apiserver_request_total{"))
                .filter(line -> line.contains("dry_run=\"All\""))
                .filter(line -> group == null || line.contains("group=\"" + group + "\""))
                .mapToLong(
                        line ->
                                (long)
                                        Double.parseDouble(
                                                line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
