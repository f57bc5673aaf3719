package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kustomization's own build fields end to end: targetNamespace, namePrefix, a patch and
 * postBuild substitution from inline values, a ConfigMap and a Secret (plus an optional one that
 * does not exist).
 */
@ExtendWith(LocalStackExtension.class)
class FluxLayerTest {
    private static final String NS = "flux-layer";
    private static final String TARGET = "flux-layer-target";
    private static KubernetesClient client;
    private static GitWorkspace repo;

    @BeforeAll
    static void setUp() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        String url = stack.git().create("flux-layer");
        repo =
                GitWorkspace.init(Files.createTempDirectory("flux-layer"), url)
                        .write(
                                "app/settings.yaml",
                                """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: settings
                        data:
                          greeting: "${GREETING}"
                          cluster: ${CLUSTER}
                          password: ${DB_PASSWORD}
                          region: ${REGION:=eu-west-1}
                          replicas: "1"
                        """)
                        .write(
                                "app/raw.yaml",
                                """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: raw
                          annotations:
                            kustomize.toolkit.fluxcd.io/substitute: disabled
                        data:
                          script: echo ${HOME}
                        """);
        repo.commitAndPush("templated settings");
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(client, Manifests.namespace(TARGET));
        Manifests.apply(
                client,
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cluster-vars, namespace: flux-layer}
                data: {CLUSTER: local, GREETING: from-configmap}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: cluster-secrets, namespace: flux-layer}
                stringData: {DB_PASSWORD: s3cret}
                """);
        Manifests.apply(client, Manifests.gitRepository(NS, "flux-layer", url, "10m"));
        Manifests.apply(
                client,
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: flux-layer, namespace: flux-layer}
                spec:
                  interval: 10m
                  path: ./app
                  prune: true
                  targetNamespace: flux-layer-target
                  namePrefix: prod-
                  sourceRef: {kind: GitRepository, name: flux-layer}
                  patches:
                    - patch: |
                        - op: replace
                          path: /data/replicas
                          value: "3"
                      target: {kind: ConfigMap, name: settings}
                  postBuild:
                    substitute:
                      GREETING: inline-wins
                    substituteFrom:
                      - {kind: ConfigMap, name: cluster-vars}
                      - {kind: Secret, name: cluster-secrets}
                      - {kind: Secret, name: not-there, optional: true}
                """);
    }

    @Test
    void anUnsetVariableOrAMissingSourceFailsTheBuildAndAppliesNothing() {
        Manifests.apply(
                client,
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: unset-variable, namespace: flux-layer}
                spec:
                  interval: 10m
                  path: ./app
                  prune: true
                  targetNamespace: flux-layer-target
                  namePrefix: unset-
                  sourceRef: {kind: GitRepository, name: flux-layer}
                  postBuild:
                    substitute: {GREETING: hello}
                """);
        Manifests.apply(
                client,
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: missing-source, namespace: flux-layer}
                spec:
                  interval: 10m
                  path: ./app
                  prune: true
                  sourceRef: {kind: GitRepository, name: flux-layer}
                  postBuild:
                    substituteFrom: [{kind: ConfigMap, name: nowhere}]
                """);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(ready("unset-variable"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "ConfigMap/flux-layer-target/unset-settings")
                                                            .contains(
                                                                    "variable not set (strict mode): \"CLUSTER\"");
                                                }));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(ready("missing-source"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(c.getMessage())
                                                            .contains("ConfigMap/nowhere")
                                                            .contains("not found");
                                                }));
        assertThat(client.configMaps().inNamespace(TARGET).withName("unset-settings").get())
                .isNull();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
    }

    @Test
    void theKustomizationsOwnFieldsShapeWhatIsApplied() {
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                client.configMaps()
                                                .inNamespace(TARGET)
                                                .withName("prod-settings")
                                                .get()
                                        != null);
        ConfigMap settings =
                client.configMaps().inNamespace(TARGET).withName("prod-settings").get();
        assertThat(settings.getData())
                .containsEntry("greeting", "inline-wins")
                .containsEntry("cluster", "local")
                .containsEntry("password", "s3cret")
                .containsEntry("region", "eu-west-1")
                .containsEntry("replicas", "3");
        assertThat(client.configMaps().inNamespace(TARGET).withName("prod-raw").get().getData())
                .containsEntry("script", "echo ${HOME}");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                ready("flux-layer")
                                        .map(c -> "True".equals(c.getStatus()))
                                        .orElse(false));
    }

    private static Optional<Condition> ready(String name) {
        return FluxReady.of(client, NS, name);
    }
}
