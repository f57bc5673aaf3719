package io.sluice.local;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.util.Optional;

/** The Ready condition of a Kustomization, as the tests poll for it. */
final class FluxReady {
    private FluxReady() {}

    static Optional<Condition> of(KubernetesClient client, String namespace, String name) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(namespace).withName(name).get();
        return ks == null || ks.getStatus() == null
                ? Optional.empty()
                : Conditions.find(ks.getStatus().conditions, Conditions.READY);
    }

    /** Whether the Kustomization is Ready=True. */
    static boolean isReady(KubernetesClient client, String namespace, String name) {
        return of(client, namespace, name).map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
