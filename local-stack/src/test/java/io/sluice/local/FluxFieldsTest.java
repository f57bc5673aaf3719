package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flux's fields as the API server keeps them (Sluice installs Flux's own CRDs) and as Sluice
 * honours them. Each test has its own namespace.
 */
@ExtendWith(LocalStackExtension.class)
class FluxFieldsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = Serialization.jsonMapper();

    private static KubernetesClient client;
    private static String gitUrl;

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        gitUrl = stack.git().create("flux-fields");
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory("flux-fields"), gitUrl)) {
            repo.write(
                            "labelled/app.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: settings, namespace: fields-common, labels: {team: app}}
                            data: {color: blue}
                            """)
                    .write(
                            "placeless/ok.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: placed, namespace: fields-placeless}
                            """)
                    .write(
                            "placeless/nowhere.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: nowhere}
                            """)
                    .write(
                            "invalid/ok.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: valid, namespace: fields-invalid-object}
                            """)
                    .write(
                            "invalid/service.yaml",
                            """
                            apiVersion: v1
                            kind: Service
                            metadata: {name: web, namespace: fields-invalid-object}
                            spec:
                              ports: [{port: 70000}]
                            """)
                    .write(
                            "deletion-delete/cm.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: doomed, namespace: fields-delete}
                            """)
                    .write(
                            "deletion-orphan/cm.yaml",
                            """
                            apiVersion: v1
                            kind: ConfigMap
                            metadata: {name: orphan, namespace: fields-orphan}
                            """)
                    .write(
                            "charts/plain/Chart.yaml",
                            "apiVersion: v2\nname: plain\nversion: 1.0.0\n")
                    .write(
                            "charts/plain/templates/cm.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: '{{ .Release.Name }}'}\n")
                    .write(
                            "comp-app/kustomization.yaml",
                            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\n")
                    .write(
                            "comp-app/cm.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: composed, namespace: fields-components}\n")
                    .write(
                            "comp-present/kustomization.yaml",
                            """
                            apiVersion: kustomize.config.k8s.io/v1alpha1
                            kind: Component
                            labels:
                            - pairs: {component: present}
                            """)
                    .write(
                            "readyexpr-app/cm.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: fields-ready-expr}\n")
                    .write("widget-ready/w.yaml", widget("fields-cel-ready"))
                    .write("widget-failed/w.yaml", widget("fields-cel-failed"))
                    .write("widget-invalid/w.yaml", widget("fields-cel-invalid"))
                    .commitAndPush("fixtures for Flux's fields");
        }
        Manifests.apply(
                client,
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.fields.sluice.test}
                spec:
                  group: fields.sluice.test
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """);
        LocalStack.awaitEstablished(client, "widgets.fields.sluice.test");
    }

    @Test
    void everyFluxFieldIsKeptOnARoundTripThroughTheApiServer() throws Exception {
        String ns = "fields-round-trip";
        Manifests.apply(client, Manifests.namespace(ns));
        // fields real repositories use that a generated schema used to drop or reject
        String yaml =
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: kept, namespace: %1$s}
                spec:
                  interval: 10m
                  prune: true
                  suspend: true
                  sourceRef: {kind: GitRepository, name: nothing}
                  ignoreMissingComponents: true
                  healthCheckExprs:
                  - apiVersion: example.com/v1
                    kind: Widget
                    current: status.ready == true
                    failed: status.phase == 'Failed'
                  dependsOn:
                  - name: other
                    readyExpr: dep.status.observedGeneration == dep.metadata.generation
                  commonMetadata:
                    labels: {team: platform}
                  deletionPolicy: Orphan
                ---
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: kept, namespace: %1$s}
                spec:
                  interval: 10m
                  suspend: true
                  url: https://example.com/repo.git
                  proxySecretRef: {name: proxy}
                  verify: {mode: HEAD, secretRef: {name: keys}}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: kept, namespace: %1$s}
                spec:
                  interval: 10m
                  suspend: true
                  chart:
                    spec:
                      chart: podinfo
                      sourceRef: {kind: HelmRepository, name: nothing}
                  driftDetection:
                    mode: warn
                    ignore:
                    - paths: ["/spec/replicas"]
                      target: {kind: Deployment}
                  upgrade: {strategy: {name: RetryOnFailure, retryInterval: 5m}}
                  install: {strategy: {name: RemediateOnFailure}}
                  waitStrategy: {name: poller}
                """
                        .formatted(ns);
        Manifests.apply(client, yaml);

        JsonNode kustomization = live("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns);
        assertThat(kustomization.at("/spec/ignoreMissingComponents").asBoolean()).isTrue();
        assertThat(kustomization.at("/spec/healthCheckExprs/0/failed").asText())
                .isEqualTo("status.phase == 'Failed'");
        assertThat(kustomization.at("/spec/dependsOn/0/readyExpr").asText())
                .isEqualTo("dep.status.observedGeneration == dep.metadata.generation");
        assertThat(kustomization.at("/spec/commonMetadata/labels/team").asText())
                .isEqualTo("platform");
        assertThat(kustomization.at("/spec/deletionPolicy").asText()).isEqualTo("Orphan");
        JsonNode git = live("source.toolkit.fluxcd.io/v1", "GitRepository", ns);
        assertThat(git.at("/spec/proxySecretRef/name").asText()).isEqualTo("proxy");
        assertThat(git.at("/spec/verify/mode").asText()).isEqualTo("HEAD");
        assertThat(git.at("/spec/timeout").asText())
                .as("Flux's default, from Flux's schema")
                .isEqualTo("60s");
        JsonNode release = live("helm.toolkit.fluxcd.io/v2", "HelmRelease", ns);
        assertThat(release.at("/spec/driftDetection/ignore/0/paths/0").asText())
                .isEqualTo("/spec/replicas");
        assertThat(release.at("/spec/driftDetection/ignore/0/target/kind").asText())
                .isEqualTo("Deployment");
        assertThat(release.at("/spec/upgrade/strategy/retryInterval").asText()).isEqualTo("5m");
        assertThat(release.at("/spec/waitStrategy/name").asText()).isEqualTo("poller");
        assertThat(release.at("/spec/chart/spec/reconcileStrategy").asText())
                .as("Flux's default")
                .isEqualTo("ChartVersion");
    }

    @Test
    void aFieldOutsideFluxsSchemaIsRefusedWithFluxsMessage() {
        String ns = "fields-invalid";
        Manifests.apply(client, Manifests.namespace(ns));
        assertThatThrownBy(
                        () ->
                                Manifests.apply(
                                        client,
                                        """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: wrong, namespace: %s}
                spec:
                  interval: 10m
                  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: nothing}}}
                  driftDetection: {mode: sometimes}
                """
                                                .formatted(ns)))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.driftDetection.mode: Unsupported value: \"sometimes\"")
                .hasMessageContaining("supported values: \"enabled\", \"warn\", \"disabled\"");
    }

    @Test
    void commonMetadataLabelsAndAnnotatesEveryObject() {
        String ns = "fields-common";
        sourceIn(ns);
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "labelled", "flux-fields", "./labelled")
                        + """
                  commonMetadata:
                    labels: {team: platform, tier: backend}
                    annotations: {owner: sre}
                """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            ConfigMap settings =
                                    client.configMaps().inNamespace(ns).withName("settings").get();
                            assertThat(settings).isNotNull();
                            assertThat(settings.getMetadata().getLabels())
                                    .containsEntry("team", "platform")
                                    .containsEntry("tier", "backend")
                                    .containsEntry("kustomize.toolkit.fluxcd.io/name", "labelled");
                            assertThat(settings.getMetadata().getAnnotations())
                                    .containsEntry("owner", "sre");
                        });
    }

    @Test
    void aNamespacedObjectWithoutANamespaceFailsTheWholeKustomizationAsInFlux() {
        String ns = "fields-placeless";
        sourceIn(ns);
        Manifests.apply(
                client, Manifests.kustomization(ns, "placeless", "flux-fields", "./placeless"));
        awaitReady(
                ns,
                "placeless",
                c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage())
                            .contains("ConfigMap/nowhere namespace not specified");
                });
        assertThat(client.configMaps().inNamespace(ns).withName("placed").get())
                .as("nothing of the tree applied")
                .isNull();
        assertThat(client.configMaps().inNamespace("default").withName("nowhere").get()).isNull();
    }

    @Test
    void anObjectTheApiServerRefusesStopsItsStageBeforeAnyObjectIsWritten() {
        String ns = "fields-invalid-object";
        sourceIn(ns);
        Manifests.apply(client, Manifests.kustomization(ns, "invalid", "flux-fields", "./invalid"));
        awaitReady(
                ns,
                "invalid",
                c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage()).contains("Service/" + ns + "/web").contains("70000");
                });
        assertThat(client.configMaps().inNamespace(ns).withName("valid").get())
                .as("the valid object of the same stage")
                .isNull();
    }

    @Test
    void deletionPolicyDeleteDeletesTheObjectsEvenWithPruneOff() {
        String ns = "fields-delete";
        applyAndDelete(ns, "./deletion-delete", "prune: false", "Delete");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                client.configMaps()
                                                        .inNamespace(ns)
                                                        .withName("doomed")
                                                        .get())
                                        .isNull());
    }

    @Test
    void deletionPolicyOrphanLeavesTheObjectsEvenWithPruneOn() {
        String ns = "fields-orphan";
        applyAndDelete(ns, "./deletion-orphan", "prune: true", "Orphan");
        assertThat(client.configMaps().inNamespace(ns).withName("orphan").get()).isNotNull();
    }

    @Test
    void installCreateNamespaceCreatesTheTargetNamespaceAsHelmDoes() {
        String ns = "fields-create-ns";
        String target = "fields-created";
        sourceIn(ns);
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: plain, namespace: %s}
                spec:
                  interval: 10m
                  targetNamespace: %s
                  install: {createNamespace: true}
                  chart:
                    spec:
                      chart: ./charts/plain
                      sourceRef: {kind: GitRepository, name: flux-fields}
                """
                        .formatted(ns, target));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                client.configMaps()
                                                        .inNamespace(target)
                                                        .withName(target + "-plain")
                                                        .get())
                                        .isNotNull());
        assertThat(client.namespaces().withName(target).get().getMetadata().getLabels())
                .containsEntry("name", target);
    }

    @Test
    void ignoreMissingComponentsLeavesOutTheComponentsThatAreNotThere() {
        String ns = "fields-components";
        sourceIn(ns);
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "composed", "flux-fields", "./comp-app")
                        + """
                  components: [../comp-present, ../comp-missing]
                  ignoreMissingComponents: true
                """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            ConfigMap composed =
                                    client.configMaps().inNamespace(ns).withName("composed").get();
                            assertThat(composed).isNotNull();
                            assertThat(composed.getMetadata().getLabels())
                                    .containsEntry("component", "present");
                        });
    }

    @Test
    void postRenderersPatchTheReleasesObjectsThenCommonMetadataLabelsThem() {
        String ns = "fields-post-render";
        sourceIn(ns);
        Manifests.apply(
                client,
                """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: plain, namespace: %s}
                spec:
                  interval: 10m
                  chart:
                    spec:
                      chart: ./charts/plain
                      sourceRef: {kind: GitRepository, name: flux-fields}
                  commonMetadata:
                    labels: {team: platform}
                  postRenderers:
                  - kustomize:
                      patches:
                      - target: {kind: ConfigMap}
                        patch: |
                          - op: add
                            path: /data
                            value: {patched: "yes"}
                """
                        .formatted(ns));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            ConfigMap plain =
                                    client.configMaps().inNamespace(ns).withName("plain").get();
                            assertThat(plain).isNotNull();
                            assertThat(plain.getData()).containsEntry("patched", "yes");
                            assertThat(plain.getMetadata().getLabels())
                                    .containsEntry("team", "platform");
                        });
    }

    /**
     * Applies the path's Kustomization, waits for its ConfigMap, deletes it and waits until it is
     * gone.
     */
    private static void applyAndDelete(
            String ns, String path, String prune, String deletionPolicy) {
        sourceIn(ns);
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "owner", "flux-fields", path)
                                .replace("prune: true", prune)
                        + "  deletionPolicy: "
                        + deletionPolicy
                        + "\n");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                !client.configMaps().inNamespace(ns).list().getItems().stream()
                                        .filter(
                                                c ->
                                                        c.getMetadata().getLabels() != null
                                                                && "owner"
                                                                        .equals(
                                                                                c.getMetadata()
                                                                                        .getLabels()
                                                                                        .get(
                                                                                                "kustomize.toolkit.fluxcd.io/name")))
                                        .toList()
                                        .isEmpty());
        client.resources(Kustomization.class).inNamespace(ns).withName("owner").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.resources(Kustomization.class)
                                                .inNamespace(ns)
                                                .withName("owner")
                                                .get()
                                        == null);
    }

    @Test
    void healthCheckExprsDecideWhenACustomResourceIsReady() {
        String ns = "fields-cel-ready";
        celKustomization(ns, "./widget-ready", "status.phase == 'Ready'");
        awaitWidget(ns);
        // without the expressions, a custom resource with no conditions counts as ready at once
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(readyStatus(ns, "widgets")).isNotEqualTo("True"));
        setPhase(ns, "Ready");
        awaitReady(ns, "widgets", c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void aCustomResourceTheFailedExpressionMatchesFailsTheHealthCheckBeforeItsTimeout() {
        String ns = "fields-cel-failed";
        celKustomization(ns, "./widget-failed", "status.phase == 'Ready'");
        setPhase(ns, "Failed");
        // the timeout is 10 minutes: a failed object ends the wait at once, as in Flux
        awaitReady(
                ns,
                "widgets",
                c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("HealthCheckFailed");
                    assertThat(c.getMessage())
                            .contains(
                                    "health check failed: Widget/"
                                            + ns
                                            + "/gizmo: failed (healthCheckExprs failed)");
                });
    }

    @Test
    void anExpressionThatDoesNotParseFailsTheKustomizationNamingIt() {
        String ns = "fields-cel-invalid";
        celKustomization(ns, "./widget-invalid", "status.phase ==");
        awaitReady(
                ns,
                "widgets",
                c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getMessage())
                            .contains(
                                    "invalid healthCheckExprs[0]: failed to parse the expression Current 'status.phase =='");
                });
    }

    @Test
    void aReadyExprDecidesWhetherADependencyIsReadyInsteadOfItsReadyCondition() {
        String ns = "fields-ready-expr";
        sourceIn(ns);
        // a dependency that never becomes Ready (its tree has an object without a namespace)
        Manifests.apply(client, Manifests.kustomization(ns, "infra", "flux-fields", "./placeless"));
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "app", "flux-fields", "./readyexpr-app")
                        + "  dependsOn:\n  - name: infra\n    readyExpr: \"dep.metadata.name == 'infra' && self.metadata.name == 'app'\"\n");
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                client.configMaps()
                                                        .inNamespace(ns)
                                                        .withName("app")
                                                        .get())
                                        .isNotNull());
        assertThat(readyStatus(ns, "infra")).isNotEqualTo("True");
    }

    private static String widget(String ns) {
        return "apiVersion: fields.sluice.test/v1\nkind: Widget\nmetadata: {name: gizmo, namespace: "
                + ns
                + "}\nspec: {size: 1}\n";
    }

    private static void celKustomization(String ns, String path, String current) {
        sourceIn(ns);
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "widgets", "flux-fields", path)
                                .replace("timeout: 1m", "timeout: 10m")
                        + """
                  healthCheckExprs:
                  - apiVersion: fields.sluice.test/v1
                    kind: Widget
                    failed: status.phase == 'Failed'
                    current: "%s"
                """
                                .formatted(current));
    }

    /** The test's namespace, with the fixture repository as a GitRepository in it. */
    private static void sourceIn(String ns) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, "flux-fields", gitUrl, "10m"));
    }

    private static void awaitWidget(String ns) {
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.genericKubernetesResources("fields.sluice.test/v1", "Widget")
                                                .inNamespace(ns)
                                                .withName("gizmo")
                                                .get()
                                        != null);
    }

    private static String readyStatus(String ns, String name) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(ns).withName(name).get();
        return Conditions.find(
                        ks.getStatus() == null ? null : ks.getStatus().conditions, Conditions.READY)
                .map(io.fabric8.kubernetes.api.model.Condition::getStatus)
                .orElse("");
    }

    private static void setPhase(String ns, String phase) {
        awaitWidget(ns);
        client.genericKubernetesResources("fields.sluice.test/v1", "Widget")
                .inNamespace(ns)
                .withName("gizmo")
                .edit(
                        w -> {
                            w.getAdditionalProperties()
                                    .put("status", java.util.Map.of("phase", phase));
                            return w;
                        });
    }

    private static void awaitReady(
            String ns,
            String name,
            java.util.function.Consumer<io.fabric8.kubernetes.api.model.Condition> check) {
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            Kustomization ks =
                                    client.resources(Kustomization.class)
                                            .inNamespace(ns)
                                            .withName(name)
                                            .get();
                            assertThat(
                                            Conditions.find(
                                                    ks.getStatus() == null
                                                            ? null
                                                            : ks.getStatus().conditions,
                                                    Conditions.READY))
                                    .hasValueSatisfying(check);
                        });
    }

    private static JsonNode live(String apiVersion, String kind, String ns) {
        GenericKubernetesResource object =
                client.genericKubernetesResources(apiVersion, kind)
                        .inNamespace(ns)
                        .withName("kept")
                        .get();
        assertThat(object).as(kind).isNotNull();
        return JSON.valueToTree(object);
    }
}
