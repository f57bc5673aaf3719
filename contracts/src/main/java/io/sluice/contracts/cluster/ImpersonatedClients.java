package io.sluice.contracts.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients that act as an owner's {@code spec.serviceAccountName} (of the owner's namespace), by
 * impersonation, on the cluster its {@code spec.kubeConfig} names, as Flux's impersonator does: the
 * user {@code system:serviceaccount:<namespace>:<name>} alone (the API server adds the account's
 * groups), so Sluice needs only to impersonate service accounts. Used for everything done for the
 * owner: apply, prune, drift, and reading health, so RBAC decides what a tenant's Kustomization may
 * touch and see. One client per cluster and account.
 */
public final class ImpersonatedClients implements AutoCloseable {
    private final TargetClusters clusters;

    /** By cluster client (identity: one per kubeconfig), then by user. */
    private final Map<KubernetesClient, Map<String, KubernetesClient>> clients =
            new ConcurrentHashMap<>();

    /**
     * The account of an owner that names none (Flux's {@code --default-service-account}); blank:
     * Sluice's own identity.
     */
    private final String defaultServiceAccount;

    public ImpersonatedClients(KubernetesClient client, Optional<String> defaultServiceAccount) {
        this.clusters = new TargetClusters(client);
        this.defaultServiceAccount = defaultServiceAccount.orElse("");
    }

    /**
     * The owner's account when it names one, else the default account (of the owner's namespace)
     * when one is configured, as Flux's impersonator picks it, on either cluster.
     */
    public KubernetesClient clientFor(
            String namespace, String serviceAccountName, JsonNode kubeConfig)
            throws TargetClusters.InvalidKubeConfig {
        KubernetesClient cluster = clusters.clientFor(namespace, kubeConfig);
        String account = account(serviceAccountName);
        if (account.isBlank()) {
            return cluster;
        }
        String user = "system:serviceaccount:" + namespace + ":" + account;
        return clients.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        user,
                        u ->
                                new KubernetesClientBuilder()
                                        .withConfig(
                                                new ConfigBuilder(cluster.getConfiguration())
                                                        .withImpersonateUsername(user)
                                                        .build())
                                        .build());
    }

    /** The account an owner naming {@code serviceAccountName} acts as; blank: Sluice's own. */
    public String account(String serviceAccountName) {
        return serviceAccountName == null || serviceAccountName.isBlank()
                ? defaultServiceAccount
                : serviceAccountName;
    }

    @Override
    public void close() {
        clients.values().forEach(users -> users.values().forEach(KubernetesClient::close));
        clusters.close();
    }
}
