package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reconciliation is level-triggered, as in Flux: no commit is needed for the cluster to converge
 * again after a failure whose cause went away, after a change to values kept in a ConfigMap, or
 * after apply-service lost its memory. Each test has its own namespace and objects.
 */
@ExtendWith(LocalStackExtension.class)
class LevelTriggeredTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static KubernetesClient client;
    private static GitWorkspace repo;
    private static String url;

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        url = stack.git().create("level-triggered");
        repo =
                GitWorkspace.init(Files.createTempDirectory("level-triggered"), url)
                        .write(
                                "later/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: lt-later}\ndata: {a: b}\n")
                        .write("scaled/web.yaml", deployment("lt-scaled", "web"))
                        .write(
                                "base/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base, namespace: lt-held}\ndata: {a: b}\n")
                        .write("held/web.yaml", deployment("lt-held", "held"));
        repo.commitAndPush("level-triggered");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
    }

    @Test
    void aKustomizationFailingOnAMissingNamespaceSucceedsOnceItAppearsWithoutACommit() {
        String ns = namespace("lt-waiting");
        Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
        Manifests.apply(client, kustomization(ns, "later", "./later", "1h", "retryInterval: 3s"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(Kustomization.class, ns, "later"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getMessage())
                                                            .contains("ConfigMap/lt-later/settings")
                                                            .contains("lt-later");
                                                }));
        namespace("lt-later");
        await().atMost(DEADLINE).until(() -> isReady(Kustomization.class, ns, "later"));
        assertThat(client.configMaps().inNamespace("lt-later").withName("settings").get().getData())
                .containsEntry("a", "b");
    }

    @Test
    void aValuesFromConfigMapEditReachesTheClusterAtOnceWhenWatchedAndAtTheIntervalOtherwise() {
        String ns = namespace("lt-values");
        String charts = LocalStackExtension.stack().charts().orElseThrow().url();
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: fixtures, namespace: lt-values}
                spec: {interval: 1h, url: "%s"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: watched, namespace: lt-values, labels: {reconcile.fluxcd.io/watch: Enabled}}
                data: {values.yaml: "replicaCount: 1"}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unwatched, namespace: lt-values}
                data: {values.yaml: "replicaCount: 1"}
                """
                        .formatted(charts));
        Manifests.apply(client, podinfo(ns, "watched", "1h"));
        Manifests.apply(client, podinfo(ns, "unwatched", "10s"));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                isReady(HelmRelease.class, ns, "watched")
                                        && isReady(HelmRelease.class, ns, "unwatched"));

        client.configMaps()
                .inNamespace(ns)
                .withName("watched")
                .edit(
                        c -> {
                            c.setData(Map.of("values.yaml", "replicaCount: 2"));
                            return c;
                        });
        client.configMaps()
                .inNamespace(ns)
                .withName("unwatched")
                .edit(
                        c -> {
                            c.setData(Map.of("values.yaml", "replicaCount: 3"));
                            return c;
                        });
        await().atMost(Duration.ofSeconds(30)).until(() -> replicas(ns, "watched-podinfo") == 2);
        await().atMost(Duration.ofSeconds(45)).until(() -> replicas(ns, "unwatched-podinfo") == 3);
    }

    @Test
    void anObjectScaledWhileApplyServiceWasDownIsPutBackAfterItReturns() throws Exception {
        String ns = namespace("lt-scaled");
        Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
        Manifests.apply(client, kustomization(ns, "scaled", "./scaled", "10s", ""));
        await().atMost(DEADLINE).until(() -> isReady(Kustomization.class, ns, "scaled"));

        ServiceProcess apply = LocalStackExtension.stack().service("apply-service");
        apply.kill();
        client.apps().deployments().inNamespace(ns).withName("web").scale(3);
        apply.start();
        apply.awaitReady(Duration.ofSeconds(60));
        await().atMost(DEADLINE).until(() -> replicas(ns, "web") == 1);
    }

    @Test
    void aDependentHeldWhenApplyServiceWasKilledIsAppliedOnceItsDependencyTurnsReady()
            throws Exception {
        String ns = namespace("lt-held");
        Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
        Manifests.apply(client, kustomization(ns, "base", "./base", "1h", "suspend: true"));
        Manifests.apply(
                client, kustomization(ns, "app", "./held", "10s", "dependsOn: [{name: base}]"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(Kustomization.class, ns, "app"))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getReason())
                                                                .isEqualTo("DependencyNotReady")));

        ServiceProcess apply = LocalStackExtension.stack().service("apply-service");
        apply.kill();
        apply.start();
        apply.awaitReady(Duration.ofSeconds(60));
        client.resources(Kustomization.class)
                .inNamespace(ns)
                .withName("base")
                .edit(
                        k -> {
                            k.getSpec().suspend = false;
                            return k;
                        });
        await().atMost(DEADLINE).until(() -> isReady(Kustomization.class, ns, "app"));
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get()).isNotNull();
    }

    private static String namespace(String name) {
        Manifests.apply(client, Manifests.namespace(name));
        return name;
    }

    private static String kustomization(
            String ns, String name, String path, String interval, String extra) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: %s}
                spec:
                  interval: %s
                  timeout: 1m
                  path: %s
                  prune: true
                  wait: true
                  sourceRef: {kind: GitRepository, name: repo}
                  %s
                """
                .formatted(name, ns, interval, path, extra);
    }

    private static String podinfo(String ns, String name, String interval) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: %s, namespace: %s}
                spec:
                  interval: %s
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.9.4"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                  valuesFrom:
                    - {kind: ConfigMap, name: %s}
                """
                .formatted(name, ns, interval, name);
    }

    private static String deployment(String ns, String app) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %s}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers: [{name: web, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                """
                .formatted(ns, app, app);
    }

    private static int replicas(String ns, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
        return deployment == null ? -1 : deployment.getSpec().getReplicas();
    }

    private static boolean isReady(
            Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type,
            String ns,
            String name) {
        return ready(type, ns, name).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static Optional<Condition> ready(
            Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type,
            String ns,
            String name) {
        var object = client.resources(type).inNamespace(ns).withName(name).get();
        if (object instanceof Kustomization ks) {
            return ks.getStatus() == null
                    ? Optional.empty()
                    : Conditions.find(ks.getStatus().conditions, Conditions.READY);
        }
        if (object instanceof HelmRelease release) {
            return release.getStatus() == null
                    ? Optional.empty()
                    : Conditions.find(release.getStatus().conditions, Conditions.READY);
        }
        return Optional.empty();
    }
}
