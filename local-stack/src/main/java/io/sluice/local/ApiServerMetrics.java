package io.sluice.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Predicate;

/** Counts from the API server's own metrics ({@code /metrics}), as the admin client reads them. */
public final class ApiServerMetrics {
    private ApiServerMetrics() {}

    /**
     * Dry-run requests the API server has answered ({@code apiserver_request_total} with {@code
     * dry_run="All"}), for kinds of {@code group} only unless null.
     */
    public static long dryRuns(KubernetesClient client, String group) {
        return requests(client, group, line -> line.contains("dry_run=\"All\""));
    }

    /** Reads of single objects ({@code verb="GET"}) of kinds of {@code group}. */
    public static long reads(KubernetesClient client, String group) {
        return requests(client, group, line -> line.contains("verb=\"GET\""));
    }

    private static long requests(KubernetesClient client, String group, Predicate<String> which) {
        return client.raw(client.getMasterUrl() + "metrics")
                .lines()
                .filter(line -> line.startsWith("apiserver_request_total{"))
                .filter(which)
                .filter(line -> group == null || line.contains("group=\"" + group + "\""))
                .mapToLong(
                        line ->
                                (long)
                                        Double.parseDouble(
                                                line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
