package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code spec.serviceAccountName}: a tenant's Kustomization applies as its service account, so what
 * RBAC grants it is applied and what RBAC refuses fails with the verb, the resource and the account
 * named, and nothing is applied.
 */
@ExtendWith(LocalStackExtension.class)
class ImpersonationTest {
    private static final String NS = "tenant-a";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static GitWorkspace repo;

    @BeforeAll
    static void tenant() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        String url = stack.git().create("tenant");
        repo =
                GitWorkspace.init(Files.createTempDirectory("tenant"), url)
                        .write(
                                "own/config.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tenant-settings, namespace: tenant-a}\ndata: {a: \"1\"}\n")
                        .write(
                                "peek/config.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tenant-peek, namespace: tenant-a}\ndata: {a: \"1\"}\n")
                        .write(
                                "other/config.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: intruder, namespace: tenant-b}\ndata: {a: \"1\"}\n");
        repo.commitAndPush("a tenant's manifests");
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(client, Manifests.namespace("tenant-b"));
        Manifests.apply(
                client,
                """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: tenant, namespace: tenant-a}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: configmaps, namespace: tenant-a}
                rules:
                - apiGroups: [""]
                  resources: [configmaps]
                  verbs: [get, list, watch, create, update, patch, delete]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: tenant-configmaps, namespace: tenant-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmaps}
                subjects:
                - {kind: ServiceAccount, name: tenant, namespace: tenant-a}
                """);
        Manifests.apply(client, Manifests.gitRepository(NS, "tenant", url, "10m"));
        for (String[] ks : new String[][] {{"own", "./own"}, {"other", "./other"}}) {
            Manifests.apply(
                    client,
                    """
                    apiVersion: kustomize.toolkit.fluxcd.io/v1
                    kind: Kustomization
                    metadata: {name: %s, namespace: tenant-a}
                    spec:
                      interval: 10m
                      path: %s
                      prune: true
                      serviceAccountName: tenant
                      sourceRef: {kind: GitRepository, name: tenant}
                    """
                            .formatted(ks[0], ks[1]));
        }
    }

    /**
     * Flux reads health as the impersonated account too: a tenant's health check cannot learn about
     * objects its account may not read (a ConfigMap of another namespace, here).
     */
    @Test
    void healthChecksAreReadAsTheServiceAccount() {
        client.configMaps()
                .inNamespace("tenant-b")
                .resource(
                        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("not-for-tenant-a")
                                .withNamespace("tenant-b")
                                .endMetadata()
                                .build())
                .serverSideApply();
        Manifests.apply(
                client,
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: peek, namespace: tenant-a}
                spec:
                  interval: 10m
                  timeout: 15s
                  path: ./peek
                  prune: true
                  serviceAccountName: tenant
                  sourceRef: {kind: GitRepository, name: tenant}
                  healthChecks:
                    - {apiVersion: v1, kind: ConfigMap, name: not-for-tenant-a, namespace: tenant-b}
                """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("peek"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("HealthCheckFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "ConfigMap/tenant-b/not-for-tenant-a");
                                                }));
        assertThat(client.configMaps().inNamespace(NS).withName("tenant-peek").get())
                .as("what the account may apply is applied")
                .isNotNull();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
    }

    @Test
    void whatTheServiceAccountMayDoIsApplied() {
        await().atMost(DEADLINE)
                .until(() -> ready("own").map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(client.configMaps().inNamespace(NS).withName("tenant-settings").get())
                .isNotNull();
    }

    @Test
    void whatRbacForbidsFailsNamingVerbResourceAndAccount() {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("other"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("ReconciliationFailed");
                                                    // the dry run's refusal, as Flux reports it
                                                    assertThat(c.getMessage())
                                                            .contains("ConfigMap/tenant-b/intruder")
                                                            .contains(
                                                                    "User \"system:serviceaccount:tenant-a:tenant\" cannot patch resource \"configmaps\"")
                                                            .contains("tenant-b");
                                                }));
        assertThat(client.configMaps().inNamespace("tenant-b").withName("intruder").get()).isNull();
    }

    private static Optional<Condition> ready(String name) {
        return FluxReady.of(client, NS, name);
    }
}
