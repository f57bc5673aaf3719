package io.sluice.contracts.meta;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the cluster serves a kind as namespaced, from discovery. A kind's scope does not change
 * while it is served, so an answer is kept; a kind not served (yet) is not, so a CRD installed
 * later is asked about again.
 */
public final class ServedKinds {
    private final KubernetesClient client;
    private final Map<String, Boolean> namespaced = new ConcurrentHashMap<>();

    public ServedKinds(KubernetesClient client) {
        this.client = client;
    }

    /** Empty when the cluster does not serve {@code kind} at {@code apiVersion}. */
    public Optional<Boolean> namespaced(String apiVersion, String kind) {
        return Optional.ofNullable(
                namespaced.computeIfAbsent(
                        apiVersion + "/" + kind, key -> discover(apiVersion, kind)));
    }

    private Boolean discover(String apiVersion, String kind) {
        try {
            APIResourceList resources = client.getApiResources(apiVersion);
            return resources == null
                    ? null
                    : resources.getResources().stream()
                            .filter(r -> kind.equals(r.getKind()) && !r.getName().contains("/"))
                            .findFirst()
                            .map(r -> Boolean.TRUE.equals(r.getNamespaced()))
                            .orElse(null);
        } catch (KubernetesClientException e) {
            return null;
        }
    }
}
