package io.sluice.apply.ssa;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.ServedKinds;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One discovery cache of the kinds the cluster serves, for every apply and drift correction. */
public class ServedKindsProducer {
    @Produces
    @Singleton
    ServedKinds servedKinds(KubernetesClient client) {
        return new ServedKinds(client);
    }
}
