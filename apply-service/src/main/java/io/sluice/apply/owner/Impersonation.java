package io.sluice.apply.owner;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code spec.serviceAccountName}: the owner's objects are applied and pruned as that service
 * account (of the owner's namespace), by impersonation, so RBAC decides what a tenant's
 * Kustomization may touch. One client per account.
 */
@ApplicationScoped
public class Impersonation {
    private final KubernetesClient client;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    public Impersonation(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient clientFor(String namespace, String serviceAccountName) {
        if (serviceAccountName == null || serviceAccountName.isBlank()) {
            return client;
        }
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccountName;
        return clients.computeIfAbsent(
                user,
                u ->
                        new KubernetesClientBuilder()
                                .withConfig(
                                        new ConfigBuilder(client.getConfiguration())
                                                .withImpersonateUsername(u)
                                                .withImpersonateGroups(
                                                        "system:serviceaccounts",
                                                        "system:serviceaccounts:" + namespace,
                                                        "system:authenticated")
                                                .build())
                                .build());
    }

    void stop(@Observes ShutdownEvent event) {
        clients.values().forEach(KubernetesClient::close);
    }
}
