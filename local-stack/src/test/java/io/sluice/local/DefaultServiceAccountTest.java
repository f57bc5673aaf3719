package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flux's multi-tenancy lockdown ({@code --default-service-account}, here {@code
 * SLUICE_DEFAULT_SERVICE_ACCOUNT}): a Kustomization that names no service account applies as the
 * default account of its own namespace, so RBAC decides what it may touch; one that names its
 * account still uses it.
 */
@ExtendWith(LocalStackExtension.class)
class DefaultServiceAccountTest {
    private static final String NS = "default-sa-test";
    private static final String OTHER = "default-sa-other";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aKustomizationWithoutAccountAppliesAsTheDefaultAccountOfItsNamespace() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String url = stack.git().create(NS);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), url)
                        .write("own/config.yaml", configMap("own-settings", NS))
                        .write("other/config.yaml", configMap("intruder", OTHER))) {
            repo.commitAndPush("one ConfigMap here, one in another namespace");
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.namespace(OTHER));
            Manifests.apply(
                    client,
                    """
                    apiVersion: v1
                    kind: ServiceAccount
                    metadata: {name: locked-down, namespace: %1$s}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: Role
                    metadata: {name: configmaps, namespace: %1$s}
                    rules:
                    - apiGroups: [""]
                      resources: [configmaps]
                      verbs: [get, list, watch, create, update, patch, delete]
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: RoleBinding
                    metadata: {name: locked-down-configmaps, namespace: %1$s}
                    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
                    subjects:
                    - {kind: ServiceAccount, name: locked-down, namespace: %1$s}
                    """
                            .formatted(NS));
            stack.runServicesAsProcesses(Map.of("SLUICE_DEFAULT_SERVICE_ACCOUNT", "locked-down"));
            try {
                Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
                Manifests.apply(client, Manifests.kustomization(NS, "own", NS, "./own"));
                Manifests.apply(client, Manifests.kustomization(NS, "other", NS, "./other"));

                await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "own"));
                assertThat(client.configMaps().inNamespace(NS).withName("own-settings").get())
                        .isNotNull();
                await().atMost(DEADLINE)
                        .untilAsserted(
                                () ->
                                        assertThat(FluxReady.of(client, NS, "other"))
                                                .hasValueSatisfying(
                                                        (Condition c) -> {
                                                            assertThat(c.getStatus())
                                                                    .isEqualTo("False");
                                                            assertThat(c.getMessage())
                                                                    .contains(
                                                                            "User \"system:serviceaccount:%s:locked-down\" cannot"
                                                                                    .formatted(NS))
                                                                    .contains(OTHER);
                                                        }));
                assertThat(client.configMaps().inNamespace(OTHER).withName("intruder").get())
                        .as("nothing applied outside what the default account may touch")
                        .isNull();
            } finally {
                // not applied as Sluice itself once the setting is gone
                client.resources(io.sluice.contracts.kustomize.Kustomization.class)
                        .inNamespace(NS)
                        .withName("other")
                        .delete();
                stack.runServicesAsProcesses();
            }
        }
    }

    private static String configMap(String name, String namespace) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata: {a: \"1\"}\n"
                .formatted(name, namespace);
    }
}
