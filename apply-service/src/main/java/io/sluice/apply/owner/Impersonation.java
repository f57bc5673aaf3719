package io.sluice.apply.owner;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.sluice.contracts.cluster.ImpersonatedClients;
import io.sluice.contracts.cluster.TargetClusters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code spec.serviceAccountName} and {@code spec.kubeConfig} for apply-service: the owner's
 * objects are applied and pruned as that service account, on that cluster (see {@link
 * ImpersonatedClients}).
 */
@ApplicationScoped
public class Impersonation {
    private final ImpersonatedClients clients;

    private final KubernetesClient client;

    public Impersonation(
            KubernetesClient client,
            @ConfigProperty(name = "sluice.default-service-account")
                    Optional<String> defaultServiceAccount) {
        this.client = client;
        this.clients = new ImpersonatedClients(client, defaultServiceAccount);
    }

    /**
     * The account an owner acts as (its own, else the default), when that account does not exist in
     * the owner's namespace: a namespace being deleted loses its accounts before its owners, and as
     * Flux then, nothing is uninstalled or pruned as an account that is gone.
     */
    public Optional<String> missingAccount(String namespace, String serviceAccountName) {
        String account = clients.account(serviceAccountName);
        if (account.isBlank()
                || client.serviceAccounts().inNamespace(namespace).withName(account).get()
                        != null) {
            return Optional.empty();
        }
        return Optional.of(namespace + "/" + account);
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
        return clients.clientFor(namespace, serviceAccountName, kubeConfig);
    }

    void stop(@Observes ShutdownEvent event) {
        clients.close();
    }
}
