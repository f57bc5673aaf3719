package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * apply-service and health-service on the real stack: dependsOn (held, released by the dependency
 * turning Ready, a cycle named), drift put back within seconds with an alert and an Event, suspend
 * and resume, prune sparing an object another Kustomization now owns, and an immutable field with
 * and without force.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyAndDriftTest {
    private static final String NS = "drift-test";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static GitWorkspace repo;
    private static TopicReader alerts;
    private static String head;

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        alerts = new TopicReader(stack.kafkaBootstrapServers(), Topics.ALERTS);
        String url = stack.git().create("drift-test");
        repo =
                GitWorkspace.init(Files.createTempDirectory("drift-test"), url)
                        .write("infra/ready.yaml", configMap("infra-ready", "yes", ""))
                        .write("apps/web.yaml", deployment("web", 1, "web"))
                        .write("apps/settings.yaml", configMap("web-settings", "from-git", ""))
                        .write("apps/moving.yaml", configMap("moving", "owned-by-apps", ""))
                        .write(
                                "apps/once.yaml",
                                configMap(
                                        "seeded-once",
                                        "from-git",
                                        "kustomize.toolkit.fluxcd.io/ssa: IfNotPresent"))
                        .write("immutable/web.yaml", deployment("fixed", 1, "fixed"))
                        .write("cycle/config.yaml", configMap("never", "x", ""))
                        .write(
                                "unhealthy/stuck.yaml",
                                deployment("stuck", 1, "stuck")
                                        .replace(
                                                "containers:",
                                                "nodeSelector: {nowhere: \"true\"}\n      containers:"));
        head = repo.commitAndPush("apps and infra");
        Manifests.apply(client, Manifests.namespace(NS));
        Manifests.apply(client, Manifests.gitRepository(NS, "drift-test", url, "10m"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
        alerts.close();
    }

    @Test
    @Order(1)
    void aKustomizationWaitsForItsDependencyAndIsAppliedTheMomentItIsReady() {
        Manifests.apply(client, kustomization("apps", "./apps", "dependsOn: [{name: infra}]"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("apps"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("DependencyNotReady");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "dependency 'drift-test/infra' not found");
                                                }));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()).isNull();

        Manifests.apply(client, kustomization("infra", "./infra", ""));
        await().atMost(DEADLINE).until(() -> isReady("infra"));
        Instant infraReady = Instant.now();
        await().atMost(DEADLINE).until(() -> isReady("apps"));
        assertThat(Duration.between(infraReady, Instant.now()))
                .as("released by the dependency's event, not a 30 s retry")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()).isNotNull();
    }

    @Test
    @Order(2)
    void aDependencyCycleIsReportedAsOne() {
        Manifests.apply(
                client, kustomization("cycle-a", "./cycle", "dependsOn: [{name: cycle-b}]"));
        Manifests.apply(
                client, kustomization("cycle-b", "./cycle", "dependsOn: [{name: cycle-a}]"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("cycle-a"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("DependencyCycle");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "dependency cycle: drift-test/cycle-a -> drift-test/cycle-b -> drift-test/cycle-a");
                                                }));
        assertThat(client.configMaps().inNamespace(NS).withName("never").get()).isNull();
    }

    @Test
    @Order(3)
    void aScaledDeploymentIsScaledBackAndTheDriftIsAlerted() {
        client.apps().deployments().inNamespace(NS).withName("web").scale(3);
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                client.apps()
                                                .deployments()
                                                .inNamespace(NS)
                                                .withName("web")
                                                .get()
                                                .getSpec()
                                                .getReplicas()
                                        == 1);
        await().atMost(DEADLINE)
                .until(
                        () ->
                                alerts.poll().stream()
                                        .anyMatch(
                                                r ->
                                                        ("Kustomization/" + NS + "/apps")
                                                                        .equals(r.key())
                                                                && r.value()
                                                                        .contains("DriftCorrected")
                                                                && r.value()
                                                                        .contains(
                                                                                "Deployment/drift-test/web")
                                                                && r.value()
                                                                        .contains(
                                                                                "spec.replicas")));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.v1().events().inNamespace(NS).list().getItems().stream()
                                        .anyMatch(
                                                e ->
                                                        "DriftCorrected".equals(e.getReason())
                                                                && "apps"
                                                                        .equals(
                                                                                e.getInvolvedObject()
                                                                                        .getName())));
    }

    @Test
    @Order(4)
    void aDeletedObjectIsRecreatedAndAnEditedOneRestored() {
        client.configMaps().inNamespace(NS).withName("web-settings").delete();
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> setting("web-settings").equals("from-git"));
        client.configMaps()
                .inNamespace(NS)
                .withName("web-settings")
                .edit(
                        cm -> {
                            cm.getData().put("value", "edited");
                            return cm;
                        });
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> setting("web-settings").equals("from-git"));
    }

    @Test
    @Order(5)
    void anObjectMarkedIfNotPresentIsCreatedButNeverCorrected() {
        client.configMaps()
                .inNamespace(NS)
                .withName("seeded-once")
                .edit(
                        cm -> {
                            cm.getData().put("value", "tuned-by-hand");
                            return cm;
                        });
        // a second, corrected edit proves the drift watch has run since the first one
        client.configMaps()
                .inNamespace(NS)
                .withName("web-settings")
                .edit(
                        cm -> {
                            cm.getData().put("value", "edited-again");
                            return cm;
                        });
        await().atMost(DEADLINE).until(() -> setting("web-settings").equals("from-git"));
        assertThat(setting("seeded-once")).isEqualTo("tuned-by-hand");
    }

    @Test
    @Order(6)
    void aSuspendedKustomizationIsLeftAloneAndCatchesUpWhenResumed() {
        setSuspend("apps", true);
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.resources(Kustomization.class)
                                        .inNamespace(NS)
                                        .withName("apps")
                                        .get()
                                        .getSpec()
                                        .suspend);
        client.configMaps()
                .inNamespace(NS)
                .withName("web-settings")
                .edit(
                        cm -> {
                            cm.getData().put("value", "while-suspended");
                            return cm;
                        });
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> setting("web-settings").equals("while-suspended"));
        setSuspend("apps", false);
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> setting("web-settings").equals("from-git"));
    }

    @Test
    @Order(7)
    void pruneSparesAnObjectAnotherKustomizationNowOwns() throws Exception {
        head =
                repo.delete("apps/moving.yaml")
                        .write("infra/moving.yaml", configMap("moving", "owned-by-infra", ""))
                        .commitAndPush("move a ConfigMap from apps to infra");
        requestReconcile();
        await().atMost(DEADLINE).until(() -> isReadyAt("infra", head) && isReadyAt("apps", head));
        ConfigMap moving = client.configMaps().inNamespace(NS).withName("moving").get();
        assertThat(moving)
                .as(
                        "apps pruned it only after infra (its dependency) took it over, so it must still be there")
                .isNotNull();
        assertThat(moving.getData()).containsEntry("value", "owned-by-infra");
        assertThat(moving.getMetadata().getLabels())
                .containsEntry(Annotations.OWNER_NAME_LABEL, "infra");
    }

    @Test
    @Order(8)
    void anImmutableChangeFailsNamingTheFieldAndForceRecreates() throws Exception {
        Manifests.apply(client, kustomization("immutable", "./immutable", ""));
        await().atMost(DEADLINE).until(() -> isReady("immutable"));
        head =
                repo.write("immutable/web.yaml", deployment("fixed", 1, "fixed-v2"))
                        .commitAndPush("change an immutable selector");
        requestReconcile();
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready("immutable"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("ReconciliationFailed");
                                                    assertThat(c.getMessage())
                                                            .contains("Deployment/drift-test/fixed")
                                                            .contains("spec.selector")
                                                            .contains("immutable");
                                                }));
        client.resources(Kustomization.class)
                .inNamespace(NS)
                .withName("immutable")
                .edit(
                        k -> {
                            k.getSpec().force = true;
                            return k;
                        });
        await().atMost(DEADLINE).until(() -> isReadyAt("immutable", head));
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace(NS)
                                .withName("fixed")
                                .get()
                                .getSpec()
                                .getSelector()
                                .getMatchLabels())
                .containsEntry("app", "fixed-v2");
    }

    @Test
    @Order(9)
    void deletingAKustomizationPrunesItsObjectsOrLeavesThemWhenPruneIsOff() {
        Manifests.apply(
                client,
                kustomization("keeper", "./cycle", "").replace("prune: true", "prune: false"));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                isReady("keeper")
                                        && client.configMaps()
                                                        .inNamespace(NS)
                                                        .withName("never")
                                                        .get()
                                                != null);
        assertThat(
                        client.resources(Kustomization.class)
                                .inNamespace(NS)
                                .withName("keeper")
                                .get()
                                .getMetadata()
                                .getFinalizers())
                .containsExactly("finalizers.fluxcd.io");

        client.resources(Kustomization.class).inNamespace(NS).withName("keeper").delete();
        client.resources(Kustomization.class).inNamespace(NS).withName("immutable").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.resources(Kustomization.class)
                                                        .inNamespace(NS)
                                                        .withName("keeper")
                                                        .get()
                                                == null
                                        && client.resources(Kustomization.class)
                                                        .inNamespace(NS)
                                                        .withName("immutable")
                                                        .get()
                                                == null);
        assertThat(client.configMaps().inNamespace(NS).withName("never").get())
                .as("prune: false orphans")
                .isNotNull();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.apps().deployments().inNamespace(NS).withName("fixed").get()
                                        == null);
    }

    @Test
    @Order(10)
    void aWaitOrHealthCheckThatTimesOutNamesTheObjectAndWhy() {
        Manifests.apply(
                client, kustomization("unhealthy", "./unhealthy", "wait: true\n  timeout: 5s"));
        Manifests.apply(
                client,
                kustomization(
                        "checker",
                        "./cycle",
                        "timeout: 5s\n  healthChecks: [{apiVersion: apps/v1, kind: Deployment, name: stuck}]"));
        for (String name : new String[] {"unhealthy", "checker"}) {
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () ->
                                    assertThat(ready(name))
                                            .hasValueSatisfying(
                                                    c -> {
                                                        assertThat(c.getStatus())
                                                                .isEqualTo("False");
                                                        assertThat(c.getReason())
                                                                .isEqualTo("HealthCheckFailed");
                                                        assertThat(c.getMessage())
                                                                .contains(
                                                                        "Deployment/drift-test/stuck: 0 of 1 replicas available");
                                                    }));
        }
    }

    @Test
    @Order(11)
    void pruneNeverDeletesAnObjectWithoutItsOwnershipLabels() throws Exception {
        head =
                repo.write("guard/guarded.yaml", configMap("guarded", "from-git", ""))
                        .commitAndPush("a ConfigMap to guard");
        requestReconcile();
        Manifests.apply(client, kustomization("guard", "./guard", ""));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                isReadyAt("guard", head)
                                        && client.configMaps()
                                                        .inNamespace(NS)
                                                        .withName("guarded")
                                                        .get()
                                                != null);
        // someone takes the object over: no Sluice labels any more (and drift told to leave it
        // alone)
        client.configMaps()
                .inNamespace(NS)
                .withName("guarded")
                .edit(
                        cm -> {
                            cm.getMetadata().getLabels().remove(Annotations.OWNER_NAME_LABEL);
                            cm.getMetadata().getLabels().remove(Annotations.OWNER_NAMESPACE_LABEL);
                            cm.getMetadata()
                                    .setAnnotations(
                                            Map.of(Annotations.RECONCILE, Annotations.DISABLED));
                            return cm;
                        });
        head =
                repo.delete("guard/guarded.yaml")
                        .write("guard/other.yaml", configMap("guard-other", "x", ""))
                        .commitAndPush("guarded leaves Git");
        requestReconcile();
        await().atMost(DEADLINE).until(() -> isReadyAt("guard", head));
        assertThat(client.configMaps().inNamespace(NS).withName("guarded").get())
                .as("not ours any more, so not pruned")
                .isNotNull();
    }

    private static String kustomization(String name, String path, String extra) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: drift-test}
                spec:
                  interval: 10m
                  path: %s
                  prune: true
                  sourceRef: {kind: GitRepository, name: drift-test}
                  %s
                """
                .formatted(name, path, extra);
    }

    private static String configMap(String name, String value, String annotation) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                + name
                + "\n  namespace: drift-test\n"
                + (annotation.isEmpty() ? "" : "  annotations:\n    " + annotation + "\n")
                + "data:\n  value: "
                + value
                + "\n";
    }

    private static String deployment(String name, int replicas, String app) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: drift-test}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: web, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                """
                .formatted(name, replicas, app, app);
    }

    private static void setSuspend(String name, boolean suspend) {
        client.resources(Kustomization.class)
                .inNamespace(NS)
                .withName(name)
                .edit(
                        k -> {
                            k.getSpec().suspend = suspend;
                            return k;
                        });
    }

    private static void requestReconcile() {
        client.resources(GitRepository.class)
                .inNamespace(NS)
                .withName("drift-test")
                .edit(
                        r -> {
                            r.getMetadata()
                                    .setAnnotations(
                                            Map.of(
                                                    Annotations.REQUESTED_AT,
                                                    Instant.now().toString()));
                            return r;
                        });
    }

    private static String setting(String name) {
        ConfigMap cm = client.configMaps().inNamespace(NS).withName(name).get();
        return cm == null || cm.getData() == null ? "" : String.valueOf(cm.getData().get("value"));
    }

    private static boolean isReady(String name) {
        return ready(name).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static boolean isReadyAt(String name, String sha) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(NS).withName(name).get();
        return isReady(name)
                && ks.getStatus() != null
                && ("main@sha1:" + sha).equals(ks.getStatus().lastAppliedRevision);
    }

    private static Optional<Condition> ready(String name) {
        return FluxReady.of(client, NS, name);
    }
}
