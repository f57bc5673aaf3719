package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Git repository taken to the cluster through all four services and Kafka, on the real stack:
 * each step is one scenario from the walking-skeleton issue, in the order a user would live them.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String FLUX_NS = "flux-system";
    private static final String APP_NS = "pipeline";
    private static LocalStack stack;
    private static KubernetesClient client;
    private static GitWorkspace repo;
    private static String head;

    @BeforeAll
    static void repository() throws Exception {
        stack = LocalStackExtension.stack();
        client = stack.client();
        String url = stack.git().create("pipeline");
        repo =
                GitWorkspace.init(Files.createTempDirectory("pipeline-work"), url)
                        .write(
                                "deploy/app/namespace.yaml",
                                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "
                                        + APP_NS
                                        + "\n")
                        .write("deploy/app/settings.yaml", configMap("settings", "hello"))
                        .write("deploy/app/extra.yaml", configMap("extra", "bye"))
                        .write(
                                "deploy/app/web.yaml",
                                """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                          namespace: pipeline
                        spec:
                          replicas: 2
                          selector:
                            matchLabels: {app: web}
                          template:
                            metadata:
                              labels: {app: web}
                            spec:
                              containers:
                              - name: web
                                image: ghcr.io/stefanprodan/podinfo:6.9.4
                        """);
        head = repo.commitAndPush("first version");
        Manifests.apply(client, Manifests.namespace(FLUX_NS));
        Manifests.apply(client, Manifests.gitRepository(FLUX_NS, "pipeline", url, "10m"));
        Manifests.apply(
                client, Manifests.kustomization(FLUX_NS, "pipeline", "pipeline", "./deploy/app"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
    }

    @Test
    @Order(1)
    void theFirstCommitIsAppliedAndReady() {
        awaitReadyAt(head);
        assertThat(setting("settings")).contains("hello");
        ConfigMap settings = client.configMaps().inNamespace(APP_NS).withName("settings").get();
        assertThat(settings.getMetadata().getLabels())
                .containsEntry(Annotations.OWNER_NAME_LABEL, "pipeline")
                .containsEntry(Annotations.OWNER_NAMESPACE_LABEL, FLUX_NS);
        Deployment web = client.apps().deployments().inNamespace(APP_NS).withName("web").get();
        assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(2);
        Kustomization ks = kustomization();
        assertThat(ks.getStatus().inventory.entries)
                .extracting(e -> e.id)
                .containsExactly(
                        "_pipeline__Namespace",
                        "pipeline_extra__ConfigMap",
                        "pipeline_settings__ConfigMap",
                        "pipeline_web_apps_Deployment");
        assertThat(gitRepository().getStatus().artifact.digest).startsWith("sha256:");
    }

    @Test
    @Order(2)
    void aChangedValueReachesTheCluster() throws Exception {
        head =
                repo.write("deploy/app/settings.yaml", configMap("settings", "hi"))
                        .commitAndPush("change greeting");
        requestReconcile();
        awaitReadyAt(head);
        assertThat(setting("settings")).contains("hi");
    }

    @Test
    @Order(3)
    void aDeletedFileIsPruned() throws Exception {
        head = repo.delete("deploy/app/extra.yaml").commitAndPush("drop extra");
        requestReconcile();
        awaitReadyAt(head);
        assertThat(client.configMaps().inNamespace(APP_NS).withName("extra").get()).isNull();
        assertThat(client.configMaps().inNamespace(APP_NS).withName("settings").get()).isNotNull();
    }

    @Test
    @Order(4)
    void brokenYamlFailsTheBuildLeavesTheClusterAloneAndAlerts() throws Exception {
        try (TopicReader alerts = new TopicReader(stack.kafkaBootstrapServers(), Topics.ALERTS)) {
            String broken =
                    repo.write(
                                    "deploy/app/broken.yaml",
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n")
                            .write(
                                    "deploy/app/settings.yaml",
                                    configMap("settings", "never-applied"))
                            .commitAndPush("broken yaml");
            requestReconcile();
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    readyCondition()
                                            .filter(
                                                    c ->
                                                            "False".equals(c.getStatus())
                                                                    && "BuildFailed"
                                                                            .equals(c.getReason()))
                                            .isPresent());
            assertThat(readyCondition().get().getMessage())
                    .contains("deploy/app/broken.yaml")
                    .contains("line");
            assertThat(kustomization().getStatus().lastAppliedRevision)
                    .isEqualTo("main@sha1:" + head);
            assertThat(setting("settings")).contains("hi");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    alerts.poll().stream()
                                            .anyMatch(
                                                    r ->
                                                            "Kustomization/flux-system/pipeline"
                                                                            .equals(r.key())
                                                                    && r.value()
                                                                            .contains(
                                                                                    "\"severity\":\"error\"")
                                                                    && r.value()
                                                                            .contains("BuildFailed")
                                                                    && r.value().contains(broken)
                                                                    && "io.sluice.alert.v1"
                                                                            .equals(
                                                                                    TopicReader
                                                                                            .header(
                                                                                                    r,
                                                                                                    "ce_type"))));
        }
        head =
                repo.delete("deploy/app/broken.yaml")
                        .write("deploy/app/settings.yaml", configMap("settings", "hi"))
                        .commitAndPush("fix yaml");
        requestReconcile();
        awaitReadyAt(head);
    }

    @Test
    @Order(5)
    void aCommitPushedWhileRenderIsDownIsAppliedWhenItComesBack() throws Exception {
        ServiceProcess render = stack.service("render-service");
        render.stop();
        head =
                repo.write("deploy/app/settings.yaml", configMap("settings", "while-down"))
                        .commitAndPush("while render is down");
        requestReconcile();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                ("main@sha1:" + head)
                                        .equals(gitRepository().getStatus().artifact.revision));
        assertThat(setting("settings")).contains("hi");
        render.start();
        render.awaitReady(Duration.ofSeconds(60));
        awaitReadyAt(head);
        assertThat(setting("settings")).contains("while-down");
    }

    @Test
    @Order(6)
    void everyServiceListsTheObjectsItHandledAndAdminWritesNeedTheToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String service : LocalStack.SERVICES) {
            String expected = service.equals("source-service") ? "GitRepository" : "Kustomization";
            String body =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            stack.service(service).url()
                                                                    + "/admin/objects"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            assertThat(body)
                    .as(service)
                    .contains(
                            "{\"kind\":\""
                                    + expected
                                    + "\",\"namespace\":\"flux-system\",\"name\":\"pipeline\"}");
        }
        URI reconcile =
                URI.create(
                        stack.service("source-service").url()
                                + "/admin/gitrepositories/flux-system/pipeline/reconcile");
        assertThat(
                        http.send(
                                        HttpRequest.newBuilder(reconcile)
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode())
                .isEqualTo(401);
        String before = gitRepository().getStatus().lastHandledReconcileAt;
        HttpResponse<String> accepted =
                http.send(
                        HttpRequest.newBuilder(reconcile)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .header("Authorization", "Bearer " + stack.adminToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isNotEqualTo(before);
        await().atMost(DEADLINE)
                .until(
                        () ->
                                accepted.body()
                                        .equals(
                                                gitRepository()
                                                        .getStatus()
                                                        .lastHandledReconcileAt));
    }

    @Test
    @Order(7)
    void anArtifactIsAnnouncedOncePerRevision() {
        try (TopicReader artifacts =
                new TopicReader(stack.kafkaBootstrapServers(), Topics.ARTIFACTS)) {
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    artifacts.poll().stream()
                                            .anyMatch(
                                                    r -> r.value().contains("main@sha1:" + head)));
            List<String> revisions =
                    artifacts.poll().stream()
                            .filter(r -> "GitRepository/flux-system/pipeline".equals(r.key()))
                            .map(r -> r.value().replaceAll(".*\"revision\":\"([^\"]+)\".*", "$1"))
                            .toList();
            assertThat(revisions)
                    .hasSize(6)
                    .doesNotHaveDuplicates()
                    .last()
                    .isEqualTo("main@sha1:" + head);
        }
    }

    private static void awaitReadyAt(String sha) {
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(
                        () -> {
                            Kustomization ks = kustomization();
                            assertThat(ks.getStatus()).isNotNull();
                            assertThat(ks.getStatus().lastAppliedRevision)
                                    .isEqualTo("main@sha1:" + sha);
                            assertThat(readyCondition())
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getReason())
                                                        .isEqualTo("ReconciliationSucceeded");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "Applied revision: main@sha1:"
                                                                        + sha);
                                            });
                        });
    }

    /**
     * What {@code flux reconcile source git} does: annotate, so the source fetches now rather than
     * at its interval.
     */
    private static void requestReconcile() {
        client.resources(GitRepository.class)
                .inNamespace(FLUX_NS)
                .withName("pipeline")
                .edit(
                        r -> {
                            r.getMetadata()
                                    .getAnnotations()
                                    .put(Annotations.REQUESTED_AT, Instant.now().toString());
                            return r;
                        });
    }

    private static Optional<io.fabric8.kubernetes.api.model.Condition> readyCondition() {
        Kustomization ks = kustomization();
        return ks.getStatus() == null
                ? Optional.empty()
                : io.sluice.contracts.meta.Conditions.find(ks.getStatus().conditions, "Ready");
    }

    private static Kustomization kustomization() {
        return client.resources(Kustomization.class)
                .inNamespace(FLUX_NS)
                .withName("pipeline")
                .get();
    }

    private static GitRepository gitRepository() {
        return client.resources(GitRepository.class)
                .inNamespace(FLUX_NS)
                .withName("pipeline")
                .get();
    }

    private static Optional<String> setting(String name) {
        ConfigMap cm = client.configMaps().inNamespace(APP_NS).withName(name).get();
        return cm == null ? Optional.empty() : Optional.ofNullable(cm.getData().get("greeting"));
    }

    private static String configMap(String name, String greeting) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                + name
                + "\n  namespace: "
                + APP_NS
                + "\ndata:\n  greeting: "
                + greeting
                + "\n";
    }
}
