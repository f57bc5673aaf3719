package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a HelmRelease must never do, each case in its own namespace: take over an object that is no
 * release's, uninstall after its last failed install unless asked, or forget across a restart of
 * apply-service that it was installed.
 */
@ExtendWith(LocalStackExtension.class)
class HelmReleaseSafetyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static KubernetesClient client;
    private static String charts;

    @BeforeAll
    static void stack() {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        charts =
                stack.charts()
                        .orElseThrow(
                                () -> new IllegalStateException("shared/fixtures/charts not found"))
                        .url();
    }

    @Test
    void anExistingObjectOfNoReleaseIsNeitherTakenOverNorTouched() {
        String ns = namespaceWithCharts("helm-unowned");
        Manifests.apply(
                client,
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: podinfo, namespace: helm-unowned}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: mine}}
                  template:
                    metadata: {labels: {app: mine}}
                    spec: {containers: [{name: web, image: nginx:1.27}]}
                """);
        Deployment before = client.apps().deployments().inNamespace(ns).withName("podinfo").get();
        Manifests.apply(client, release(ns, "podinfo", ""));

        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns, "podinfo"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "Unable to continue with install: Deployment \"podinfo\" in namespace \"helm-unowned\" "
                                                                            + "exists and cannot be imported into the current release: invalid ownership metadata; label validation error: "
                                                                            + "missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key "
                                                                            + "\"meta.helm.sh/release-name\": must be set to \"podinfo\"")
                                                            .contains(
                                                                    "Failed to install after 1 attempt(s)");
                                                }));
        Deployment after = client.apps().deployments().inNamespace(ns).withName("podinfo").get();
        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(after.getMetadata().getManagedFields())
                .as("never written by Sluice")
                .extracting(f -> f.getManager())
                .doesNotContain("sluice");
        assertThat(after.getMetadata().getLabels())
                .doesNotContainKeys("helm.toolkit.fluxcd.io/name", "app.kubernetes.io/managed-by");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:1.27");
        assertThat(client.services().inNamespace(ns).withName("podinfo").get())
                .as("nothing of the release applied")
                .isNull();
        assertThat(latestRelease(ns, "podinfo").getMetadata().getLabels())
                .containsEntry("status", "failed");
    }

    @Test
    void aFailedInstallIsUninstalledBetweenRetriesAndItsLastFailureLeftInPlace() {
        String ns = namespaceWithCharts("helm-install-retries");
        Manifests.apply(
                client,
                release(
                        ns,
                        "podinfo",
                        """
                  install:
                    remediation: {retries: 1}
                  values:
                    replicaCount: -1
                """));
        String firstFailure =
                "Helm install failed for release helm-install-retries/podinfo with chart podinfo@6.9.4: "
                        + "Deployment/helm-install-retries/podinfo apply failed";
        String remediation =
                "Helm uninstall remediation for release helm-install-retries/podinfo.v1 with chart podinfo@6.9.4 succeeded";
        // the reconcile that ran out of retries tells the whole story in its alert and its Event
        // (a later reconcile with nothing left to try reports only the last failure, as Ready
        // does in helm-controller, so Ready alone cannot show it)
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.v1().events().inNamespace(ns).list().getItems().stream()
                                        .anyMatch(
                                                e ->
                                                        "RetriesExceeded".equals(e.getReason())
                                                                && "podinfo"
                                                                        .equals(
                                                                                e.getInvolvedObject()
                                                                                        .getName())
                                                                && e.getMessage()
                                                                        .matches(
                                                                                "(?s)\\Q"
                                                                                        + firstFailure
                                                                                        + "\\E.*\\Q"
                                                                                        + remediation
                                                                                        + "\\E.*\\Q"
                                                                                        + firstFailure
                                                                                        + "\\E.*Failed to install after 2 attempt\\(s\\).*")));
        // reconciled again on request: nothing is tried again, the release stays stalled
        String requestedAt = Manifests.requestReconcile(client, HelmRelease.class, ns, "podinfo");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                requestedAt.equals(
                                        client.resources(HelmRelease.class)
                                                .inNamespace(ns)
                                                .withName("podinfo")
                                                .get()
                                                .getStatus()
                                                .lastHandledReconcileAt));
        assertThat(ready(ns, "podinfo"))
                .hasValueSatisfying(
                        c -> {
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("RetriesExceeded");
                            assertThat(c.getMessage())
                                    .startsWith(firstFailure)
                                    .endsWith("Failed to install after 2 attempt(s)");
                        });
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(ns).withName("podinfo").get();
        assertThat(release.getStatus().installFailures).isEqualTo(2);
        assertThat(condition(ns, "podinfo", "Stalled"))
                .hasValueSatisfying(
                        c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("RetriesExceeded");
                            assertThat(c.getMessage())
                                    .isEqualTo("Failed to install after 2 attempt(s)");
                        });
        assertThat(condition(ns, "podinfo", "Released"))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("InstallFailed"));
        assertThat(release.getStatus().lastAttemptedReleaseAction).isEqualTo("install");
        assertThat(latestRelease(ns, "podinfo").getMetadata().getLabels())
                .as("the last failure is left in place, not uninstalled")
                .containsEntry("status", "failed");
        // the Deployment's dry run failed before any object of its stage was written: nothing
        // half-applied
        assertThat(client.services().inNamespace(ns).withName("podinfo").get()).isNull();
    }

    /**
     * {@code flux reconcile hr} while an install waits for its objects: the request is handled by
     * the same wait (helm-controller's install is one blocking step, so a request waits for it),
     * never by failing the revision as a stale one.
     */
    @Test
    void aReconcileRequestedDuringAnInstallWaitsForItRatherThanFailingIt() throws Exception {
        String gate = "helm-requested-during-install";
        String ns = releaseOfChart("helm-requested", Map.of("templates/web.yaml", gatedWeb(gate)));
        awaitWebApplied(ns);
        String requestedAt = Manifests.requestReconcile(client, HelmRelease.class, ns, "gated");
        // Sluice notes the revision as awaited by the request
        await().atMost(DEADLINE)
                .until(
                        () ->
                                latestRelease(ns, "gated")
                                        .getMetadata()
                                        .getAnnotations()
                                        .get("sluice.io/attempt")
                                        .endsWith("/" + requestedAt));
        assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                .containsEntry("status", "pending-install");
        Gates.open(client, gate);
        awaitReleased(ns);
        assertThat(HelmStorage.revisions(client, ns, "gated"))
                .as("the one revision, installed once")
                .hasSize(1);
        assertThat(
                        client.resources(HelmRelease.class)
                                .inNamespace(ns)
                                .withName("gated")
                                .get()
                                .getStatus()
                                .lastHandledReconcileAt)
                .isEqualTo(requestedAt);
    }

    /**
     * As helm-controller: a HelmRelease deleted after its service account (a namespace being
     * deleted loses its accounts first) is let go without an uninstall, which could only fail; its
     * objects and history stay.
     */
    @Test
    void aReleaseWhoseServiceAccountIsGoneIsLeftInPlaceWhenDeleted() {
        String ns = namespaceWithCharts("helm-account-gone");
        Manifests.apply(
                client,
                """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: deployer, namespace: %1$s}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: deployer-admin, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
                subjects: [{kind: ServiceAccount, name: deployer, namespace: %1$s}]
                """
                        .formatted(ns));
        Manifests.apply(client, release(ns, "podinfo", "  serviceAccountName: deployer\n"));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                ready(ns, "podinfo")
                                        .map(c -> "True".equals(c.getStatus()))
                                        .orElse(false));
        client.serviceAccounts().inNamespace(ns).withName("deployer").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.serviceAccounts().inNamespace(ns).withName("deployer").get()
                                        == null);
        client.resources(HelmRelease.class).inNamespace(ns).withName("podinfo").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.resources(HelmRelease.class)
                                                .inNamespace(ns)
                                                .withName("podinfo")
                                                .get()
                                        == null);
        assertThat(client.apps().deployments().inNamespace(ns).withName("podinfo").get())
                .as("nothing uninstalled")
                .isNotNull();
        assertThat(HelmStorage.revisions(client, ns, "podinfo")).isNotEmpty();
    }

    @Test
    void afterApplyServiceIsKilledAFailedUpgradeIsRolledBackNeverUninstalled() throws Exception {
        String ns = namespaceWithCharts("helm-restart");
        Manifests.apply(
                client,
                release(
                        ns,
                        "podinfo",
                        """
                  upgrade:
                    remediation: {retries: 1}
                """));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                ready(ns, "podinfo")
                                                .map(c -> "True".equals(c.getStatus()))
                                                .orElse(false)
                                        && "deployed"
                                                .equals(
                                                        latestRelease(ns, "podinfo")
                                                                .getMetadata()
                                                                .getLabels()
                                                                .get("status")));
        String uid =
                client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("podinfo")
                        .get()
                        .getMetadata()
                        .getUid();

        killAndRestart("apply-service");

        client.resources(HelmRelease.class)
                .inNamespace(ns)
                .withName("podinfo")
                .edit(
                        r -> {
                            ((ObjectNode) r.getSpec().values).put("replicaCount", -1);
                            return r;
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns, "podinfo"))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "Helm upgrade failed for release helm-restart/podinfo")
                                                            .contains(
                                                                    "Helm rollback to previous release helm-restart/podinfo.v1 with chart podinfo@6.9.4 succeeded")
                                                            .contains(
                                                                    "Failed to upgrade after 2 attempt(s)")
                                                            .doesNotContain("install");
                                                }));
        Deployment deployment =
                client.apps().deployments().inNamespace(ns).withName("podinfo").get();
        assertThat(deployment.getMetadata().getUid()).as("never deleted").isEqualTo(uid);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(latestRelease(ns, "podinfo").getMetadata().getLabels())
                .containsEntry("status", "deployed");
    }

    @Test
    void
            aReleaseCutShortByAKillDuringItsHookWaitIsUnlockedAndUpgradedNeverUninstalledOrInstalledAgain()
                    throws Exception {
        String ns = gatedRelease("helm-hook-kill", "helm-hook-kill-gate");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.batch()
                                                .v1()
                                                .jobs()
                                                .inNamespace(ns)
                                                .withName("gated-migrate")
                                                .get()
                                        != null);
        assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                .containsEntry("status", "pending-install");

        killAndRestart("apply-service");
        Gates.open(client, "helm-hook-kill-gate");

        awaitReleased(ns);
        assertThat(HelmStorage.history(client, ns, "gated"))
                .containsExactlyInAnyOrder("1 failed", "2 deployed");
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(ns).withName("gated").get();
        assertThat(release.getStatus().installFailures)
                .as("an unlock is no failed install")
                .isZero();
        assertThat(release.getStatus().lastAttemptedReleaseAction).isEqualTo("upgrade");
        assertThat(client.configMaps().inNamespace(ns).withName("gated-settings").get())
                .isNotNull();
    }

    @Test
    void aReleaseWhoseHealthWaitIsLostToAHealthServiceKillIsJudgedAgainAndReleasedNotRemediated()
            throws Exception {
        String ns =
                releaseOfChart(
                        "helm-health-kill",
                        Map.of("templates/web.yaml", gatedWeb("helm-health-kill-gate")),
                        """
                          install:
                            remediation: {retries: 3}
                        """);
        awaitWebApplied(ns);
        // health-service is waiting for the Deployment, and has committed the record that asked
        // for it: killed, its wait is gone and nothing on Kafka asks for it again (the interval is
        // 1h); apply-service publishes the pending revision again until it hears a verdict
        assertThat(
                        ConsumerOffsets.awaitCommittedPast(
                                LocalStackExtension.stack().kafkaBootstrapServers(),
                                Topics.APPLIED,
                                "health-service",
                                r ->
                                        r.value()
                                                .contains(
                                                        "\"revision\":\"helm-health-kill/gated.v1\""),
                                Duration.ofSeconds(60)))
                .isTrue();
        killAndRestart("health-service");
        Gates.open(client, "helm-health-kill-gate");

        awaitReleased(ns);
        assertThat(HelmStorage.revisions(client, ns, "gated"))
                .as("released as the one install, neither uninstalled nor installed again")
                .extracting(
                        s ->
                                s.getMetadata().getLabels().get("version")
                                        + " "
                                        + s.getMetadata().getLabels().get("status"))
                .containsExactly("1 deployed");
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(ns).withName("gated").get();
        assertThat(release.getStatus().installFailures).isZero();
        assertThat(release.getStatus().failures).isZero();
    }

    @Test
    void aNinetySecondHookWaitHoldsUpOnlyItsOwnReleaseAndTheConsumerStaysAlive() throws Exception {
        String ns = gatedRelease("helm-long-hook", "helm-long-hook-gate");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.batch()
                                                .v1()
                                                .jobs()
                                                .inNamespace(ns)
                                                .withName("gated-migrate")
                                                .get()
                                        != null);
        long applyPid = LocalStackExtension.stack().service("apply-service").pid();
        Manifests.apply(client, release(namespaceWithCharts("helm-long-hook"), "other", ""));
        await("another release is installed while the hook waits")
                .atMost(DEADLINE)
                .until(
                        () ->
                                ready(ns, "other")
                                        .map(c -> "True".equals(c.getStatus()))
                                        .orElse(false));

        // the hook waits 90 s, past the consumer's 60 s limit; throughout, the revision stays
        // pending (nothing gives up)
        await("the hook's wait")
                .during(Duration.ofSeconds(90))
                .atMost(Duration.ofSeconds(100))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                "pending-install"
                                        .equals(
                                                latestRelease(ns, "gated")
                                                        .getMetadata()
                                                        .getLabels()
                                                        .get("status")));
        assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                .containsEntry("status", "pending-install");
        Gates.open(client, "helm-long-hook-gate");
        awaitReleased(ns);
        assertThat(LocalStackExtension.stack().service("apply-service").pid())
                .as("apply-service never restarted")
                .isEqualTo(applyPid);
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(ns).withName("gated").get();
        assertThat(release.getStatus().lastAttemptedReleaseAction)
                .as("installed in one go")
                .isEqualTo("install");
        assertThat(release.getStatus().failures).isZero();
    }

    @Test
    void postInstallHooksRunOnlyOnceTheReleaseIsReadyAndTheReleaseIsReadyOnlyAfterThem()
            throws Exception {
        String ns =
                releaseOfChart(
                        "helm-post-hook",
                        Map.of(
                                "templates/web.yaml",
                                gatedWeb("helm-post-hook-gate"),
                                "templates/after.yaml",
                                """
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          name: after-ready
                          annotations: {helm.sh/hook: post-install}
                        spec:
                          template:
                            spec:
                              restartPolicy: Never
                              nodeSelector: {helm-post-hook-done: open}
                              containers: [{name: after, image: busybox}]
                        """));
        awaitWebApplied(ns);
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("after-ready").get())
                .as("objects applied, not ready: no post-install hook yet")
                .isNull();
        Gates.open(client, "helm-post-hook-gate");
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.batch()
                                                .v1()
                                                .jobs()
                                                .inNamespace(ns)
                                                .withName("after-ready")
                                                .get()
                                        != null);
        // the objects are ready and the post-install hook runs: as in helm-controller, the release
        // is not made, so not Ready, until the hook is done
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            assertThat(ready(ns, "gated"))
                                    .as("Ready while the post-install hook runs")
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("Unknown");
                                                assertThat(c.getReason()).isEqualTo("Progressing");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "Running 'install' action with timeout of 10m0s");
                                            });
                            assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                    .containsEntry("status", "pending-install");
                        });
        Gates.open(client, "helm-post-hook-done");
        String made =
                "Helm install succeeded for release helm-post-hook/gated.v1 with chart gated@1.0.0";
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(ready(ns, "gated"))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getReason())
                                                        .isEqualTo("InstallSucceeded");
                                                assertThat(c.getMessage()).isEqualTo(made);
                                            });
                            assertThat(condition(ns, "gated", "Released"))
                                    .hasValueSatisfying(
                                            c -> assertThat(c.getMessage()).isEqualTo(made));
                        });
        assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                .as("Ready only once the revision is recorded deployed")
                .containsEntry("status", "deployed");
    }

    @Test
    void underRetryOnFailureAFailedInstallIsNeitherRemediatedNorStalledAndSucceedsOnceItCan()
            throws Exception {
        String ns =
                releaseOfChart(
                        "helm-retry",
                        Map.of(
                                "templates/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                        + "data: {a: b}\n"),
                        """
                          targetNamespace: helm-retry-later
                          install:
                            remediation: {retries: 3}
                            strategy: {name: RetryOnFailure, retryInterval: 2s}
                          upgrade:
                            strategy: {name: RetryOnFailure, retryInterval: 2s}
                        """);
        String name = "helm-retry-later-gated";
        // the target namespace is not there: every attempt fails, and is tried again as an
        // upgrade after 2 s; nothing is uninstalled (the history is kept) and nothing stalls
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            List<Secret> history = HelmStorage.revisions(client, ns, name);
                            assertThat(history).hasSizeGreaterThanOrEqualTo(3);
                            assertThat(history)
                                    .allSatisfy(
                                            s ->
                                                    assertThat(s.getMetadata().getLabels())
                                                            .containsEntry("status", "failed"));
                        });
        assertThat(condition(ns, "gated", "Stalled")).isEmpty();
        assertThat(condition(ns, "gated", "Remediated")).as("never remediated").isEmpty();
        assertThat(condition(ns, "gated", "Released"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        Manifests.apply(client, Manifests.namespace("helm-retry-later"));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(latestRelease(ns, name).getMetadata().getLabels())
                                    .containsEntry("status", "deployed");
                            assertThat(ready(ns, "gated"))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getReason())
                                                        .isEqualTo("UpgradeSucceeded");
                                            });
                        });
        assertThat(client.configMaps().inNamespace("helm-retry-later").withName("settings").get())
                .isNotNull();
    }

    @Test
    void uninstallWithOrphanPropagationLeavesWhatTheReleasesObjectsOwned() {
        String ns = namespaceWithCharts("helm-orphan");
        Manifests.apply(
                client,
                release(
                        ns,
                        "podinfo",
                        """
                  uninstall: {deletionPropagation: orphan}
                """));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                !client.apps()
                                        .replicaSets()
                                        .inNamespace(ns)
                                        .withLabel("app.kubernetes.io/name", "podinfo")
                                        .list()
                                        .getItems()
                                        .isEmpty());
        client.resources(HelmRelease.class).inNamespace(ns).withName("podinfo").delete();
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.apps()
                                                .deployments()
                                                .inNamespace(ns)
                                                .withName("podinfo")
                                                .get()
                                        == null);
        assertThat(
                        client.apps()
                                .replicaSets()
                                .inNamespace(ns)
                                .withLabel("app.kubernetes.io/name", "podinfo")
                                .list()
                                .getItems())
                .as("orphaned, as uninstall.deletionPropagation asks: kept, without an owner")
                .isNotEmpty()
                .allSatisfy(rs -> assertThat(rs.getMetadata().getOwnerReferences()).isEmpty());
    }

    @Test
    void cleanupOnFailDeletesWhatTheFailedUpgradeAddedAndNothingElse() throws Exception {
        String ns =
                releaseOfChart(
                        "helm-cleanup",
                        Map.of(
                                "templates/web.yaml",
                                """
                                apiVersion: apps/v1
                                kind: Deployment
                                metadata: {name: web}
                                spec:
                                  replicas: {{ .Values.replicas }}
                                  selector: {matchLabels: {app: web}}
                                  template:
                                    metadata: {labels: {app: web}}
                                    spec:
                                      nodeSelector: {helm-cleanup-never: "true"}
                                      containers: [{name: web, image: nginx}]
                                """,
                                "templates/extra.yaml",
                                """
                                {{- if .Values.extra }}
                                apiVersion: v1
                                kind: ConfigMap
                                metadata: {name: extra}
                                data: {a: b}
                                {{- end }}
                                """),
                        """
                          upgrade: {cleanupOnFail: true}
                          values: {replicas: 0, extra: false}
                        """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                        .containsEntry("status", "deployed"));
        // the upgrade adds a ConfigMap and a replica that can never be scheduled: its wait fails
        Manifests.apply(
                client,
                gated(
                        ns,
                        """
                          timeout: 10s
                          upgrade: {cleanupOnFail: true}
                          values: {replicas: 1, extra: true}
                        """));
        await().atMost(DEADLINE)
                .until(() -> client.configMaps().inNamespace(ns).withName("extra").get() != null);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                    .containsEntry("status", "failed");
                            assertThat(client.configMaps().inNamespace(ns).withName("extra").get())
                                    .as("added by the failed upgrade: cleaned up")
                                    .isNull();
                        });
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get())
                .as("in the deployed revision too: kept")
                .isNotNull();
    }

    /**
     * An upgrade whose apply stops part way (two ConfigMaps pass their dry runs, a quota leaves
     * room for one, so one is written and the other refused): cleanupOnFail deletes the one it
     * created, as Helm cleans up its partial result.
     */
    @Test
    void cleanupOnFailDeletesWhatAnApplyStoppedPartWayHadCreated() throws Exception {
        String ns =
                releaseOfChart(
                        "helm-cleanup-partial",
                        Map.of(
                                "templates/extra.yaml",
                                """
                                {{- if .Values.extra }}
                                apiVersion: v1
                                kind: ConfigMap
                                metadata: {name: extra-a}
                                data: {a: b}
                                ---
                                apiVersion: v1
                                kind: ConfigMap
                                metadata: {name: extra-b}
                                data: {a: b}
                                {{- end }}
                                """),
                        """
                          upgrade: {cleanupOnFail: true}
                          values: {extra: false}
                        """);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                        .containsEntry("status", "deployed"));
        int configMaps = client.configMaps().inNamespace(ns).list().getItems().size();
        Manifests.apply(
                client,
                """
                apiVersion: v1
                kind: ResourceQuota
                metadata: {name: one-more-configmap, namespace: %s}
                spec: {hard: {count/configmaps: "%d"}}
                """
                        .formatted(ns, configMaps + 1));
        await().atMost(DEADLINE)
                .until(
                        () -> {
                            var quota =
                                    client.resourceQuotas()
                                            .inNamespace(ns)
                                            .withName("one-more-configmap")
                                            .get();
                            return quota.getStatus() != null
                                    && quota.getStatus().getUsed() != null
                                    && quota.getStatus().getUsed().containsKey("count/configmaps");
                        });
        Manifests.apply(
                client,
                gated(
                        ns,
                        """
                          timeout: 10m
                          upgrade: {cleanupOnFail: true}
                          values: {extra: true}
                        """));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                    .containsEntry("status", "failed");
                            assertThat(latestRelease(ns, "gated").getMetadata().getLabels())
                                    .containsEntry("version", "2");
                        });
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                client
                                                        .configMaps()
                                                        .inNamespace(ns)
                                                        .list()
                                                        .getItems()
                                                        .stream()
                                                        .map(c -> c.getMetadata().getName()))
                                        .as("the one the failed apply created, deleted")
                                        .doesNotContain("extra-a", "extra-b"));
    }

    /**
     * A HelmRelease, from Git, whose pre-install hook Job waits until the nodes carry {@code gate:
     * open}.
     */
    private static String gatedRelease(String ns, String gate) throws Exception {
        return releaseOfChart(
                ns,
                Map.of(
                        "templates/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gated-settings}\ndata: {a: b}\n",
                        "templates/hook.yaml",
                        Gates.preInstallJob("gated-migrate", gate)));
    }

    /**
     * A HelmRelease named {@code gated} of a chart kept in Git made of {@code templates}, in its
     * own namespace.
     */
    private static String releaseOfChart(String ns, Map<String, String> templates)
            throws Exception {
        return releaseOfChart(ns, templates, "");
    }

    /** As above, {@code spec} appended to the HelmRelease's spec (indented two spaces). */
    private static String releaseOfChart(String ns, Map<String, String> templates, String spec)
            throws Exception {
        Manifests.apply(client, Manifests.namespace(ns));
        String url = LocalStackExtension.stack().git().create(ns);
        try (GitWorkspace repo =
                GitWorkspace.init(java.nio.file.Files.createTempDirectory(ns), url)) {
            repo.write("charts/gated/Chart.yaml", "apiVersion: v2\nname: gated\nversion: 1.0.0\n");
            for (var template : templates.entrySet()) {
                repo.write("charts/gated/" + template.getKey(), template.getValue());
            }
            repo.commitAndPush("a chart");
        }
        Manifests.apply(client, Manifests.gitRepository(ns, "charts", url, "1h"));
        Manifests.apply(client, gated(ns, "  timeout: 10m\n" + spec));
        return ns;
    }

    /**
     * The HelmRelease {@code gated} of the chart kept in Git, {@code spec} appended to its spec.
     */
    private static String gated(String ns, String spec) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: gated, namespace: %s}
                spec:
                  interval: 1h
                  chart: {spec: {chart: ./charts/gated, sourceRef: {kind: GitRepository, name: charts}}}
                """
                        .formatted(ns)
                + spec;
    }

    /**
     * A chart template: the Deployment {@code web}, whose pod runs once a node has {@code gate}.
     */
    private static String gatedWeb(String gate) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      nodeSelector: {%s: open}
                      containers: [{name: web, image: nginx}]
                """
                .formatted(gate);
    }

    /** Until the Deployment {@code web} exists and its revision is recorded fully applied. */
    private static void awaitWebApplied(String ns) {
        await().atMost(DEADLINE)
                .until(
                        () ->
                                client.apps().deployments().inNamespace(ns).withName("web").get()
                                                != null
                                        && "true"
                                                .equals(
                                                        latestRelease(ns, "gated")
                                                                .getMetadata()
                                                                .getAnnotations()
                                                                .get("sluice.io/applied")));
    }

    /** Until the release {@code gated} is Ready and its latest revision deployed. */
    private static void awaitReleased(String ns) {
        await().atMost(DEADLINE)
                .until(
                        () ->
                                ready(ns, "gated")
                                                .map(c -> "True".equals(c.getStatus()))
                                                .orElse(false)
                                        && "deployed"
                                                .equals(
                                                        latestRelease(ns, "gated")
                                                                .getMetadata()
                                                                .getLabels()
                                                                .get("status")));
    }

    /** {@code kill -9} of a service, then started again. */
    private static void killAndRestart(String service) throws Exception {
        ServiceProcess process = LocalStackExtension.stack().service(service);
        process.kill();
        process.start();
        process.awaitReady(Duration.ofSeconds(60));
    }

    private static String namespaceWithCharts(String ns) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: fixtures, namespace: %s}
                spec: {interval: 10m, url: "%s"}
                """
                        .formatted(ns, charts));
        return ns;
    }

    /** A podinfo HelmRelease; {@code spec} is appended to its spec (indented two spaces). */
    private static String release(String ns, String name, String spec) {
        String values = spec.contains("values:") ? "" : "  values: {}\n";
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: %s, namespace: %s}
                spec:
                  interval: 10m
                  timeout: 30s
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.9.4"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                """
                        .formatted(name, ns)
                + spec
                + values;
    }

    private static Secret latestRelease(String ns, String name) {
        return HelmStorage.latest(client, ns, name)
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no release of " + ns + "/" + name + " in Helm's storage"));
    }

    private static Optional<Condition> ready(String ns, String name) {
        return condition(ns, name, Conditions.READY);
    }

    private static Optional<Condition> condition(String ns, String name, String type) {
        HelmRelease release =
                client.resources(HelmRelease.class).inNamespace(ns).withName(name).get();
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, type);
    }
}
