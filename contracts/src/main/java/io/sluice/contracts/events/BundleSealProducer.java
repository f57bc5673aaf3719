package io.sluice.contracts.events;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bundle seal of render-service (which seals) and apply-service (which opens), keyed in
 * Sluice's namespace ({@code sluice.namespace}, default {@code flux-system}, where Flux ran).
 */
public class BundleSealProducer {
    @Produces
    @Singleton
    BundleSeal bundleSeal(
            KubernetesClient client,
            @ConfigProperty(name = "sluice.namespace", defaultValue = "flux-system")
                    String namespace) {
        return BundleSeal.fromCluster(client, namespace);
    }
}
