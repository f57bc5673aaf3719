package io.sluice.apply.owner;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.contracts.cluster.TargetClusters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code spec.serviceAccountName}: the owner's objects are applied and pruned as that service
 * account (of the owner's namespace), by impersonation, so RBAC decides what a tenant's
 * Kustomization may touch; on the cluster {@code spec.kubeConfig} names, when it names one (the
 * account impersonated by the kubeconfig's identity, as kustomize-controller does). One client per
 * cluster and account.
 */
@ApplicationScoped
public class Impersonation {
    private final TargetClusters clusters;

    /** By cluster client (identity: one per kubeconfig), then by user. */
    private final Map<KubernetesClient, Map<String, KubernetesClient>> clients =
            new ConcurrentHashMap<>();

    public Impersonation(KubernetesClient client) {
        this.clusters = new TargetClusters(client);
    }

    public KubernetesClient clientFor(String namespace, String serviceAccountName) {
        try {
            return clientFor(namespace, serviceAccountName, null);
        } catch (TargetClusters.InvalidKubeConfig e) {
            throw new IllegalStateException(e); // the local cluster needs no kubeconfig
        }
    }

    public KubernetesClient clientFor(
            String namespace, String serviceAccountName, JsonNode kubeConfig)
            throws TargetClusters.InvalidKubeConfig {
        KubernetesClient cluster = clusters.clientFor(namespace, kubeConfig);
        if (serviceAccountName == null || serviceAccountName.isBlank()) {
            return cluster;
        }
        String user = "system:serviceaccount:" + namespace + ":" + serviceAccountName;
        return clients.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        user,
                        u ->
                                new KubernetesClientBuilder()
                                        .withConfig(
                                                new ConfigBuilder(cluster.getConfiguration())
                                                        .withImpersonateUsername(user)
                                                        .withImpersonateGroups(
                                                                "system:serviceaccounts",
                                                                "system:serviceaccounts:"
                                                                        + namespace,
                                                                "system:authenticated")
                                                        .build())
                                        .build());
    }

    void stop(@Observes ShutdownEvent event) {
        clients.values().forEach(users -> users.values().forEach(KubernetesClient::close));
        clusters.close();
    }
}
