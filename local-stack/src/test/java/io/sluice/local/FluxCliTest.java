package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real flux CLI 2.9.5, unchanged, against Sluice: each command answers as it does against
 * Flux's controllers. Each test uses objects of its own in the namespace {@code flux-cli}; {@code
 * reconcile} commands run with a 60 s timeout, so a status the CLI cannot recognise fails the test
 * instead of hanging.
 */
@ExtendWith(LocalStackExtension.class)
class FluxCliTest {
    private static final String NS = "flux-cli";
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static KubernetesClient client;
    private static String charts;

    @BeforeAll
    static void namespace() {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        charts =
                stack.charts()
                        .orElseThrow(
                                () -> new IllegalStateException("shared/fixtures/charts not found"))
                        .url();
        Manifests.apply(client, Manifests.namespace(NS));
    }

    @Test
    void getListsEveryKindWithItsRevisionAndReady() throws Exception {
        String sha = gitSource("get-repo", "get-app", configMap("get-one"));
        Manifests.apply(client, helmRelease("get-charts", "get-podinfo"));
        awaitFlux("get", "ks", "get-app");
        awaitFlux("get", "hr", "get-podinfo");

        String all = flux("get", "all", "-n", NS).output();
        assertThat(all)
                .containsPattern(
                        "gitrepository/get-repo\\s+main@sha1:"
                                + sha.substring(0, 8)
                                + "\\s+False\\s+True\\s+stored artifact for revision")
                .containsPattern(
                        "helmrepository/get-charts\\s+sha256:[0-9a-f]{8}\\s+False\\s+True\\s+stored"
                                + " artifact: revision 'sha256:[0-9a-f]{8}'")
                .containsPattern(
                        "helmchart/flux-cli-get-podinfo\\s+6\\.9\\.4\\s+False\\s+True\\s+pulled"
                                + " 'podinfo' chart with version '6\\.9\\.4'")
                .containsPattern(
                        "kustomization/get-app\\s+main@sha1:"
                                + sha.substring(0, 8)
                                + "\\s+False\\s+True\\s+Applied revision")
                .containsPattern(
                        "helmrelease/get-podinfo\\s+6\\.9\\.4\\s+False\\s+True\\s+Helm install"
                                + " succeeded for release flux-cli/get-podinfo\\.v1");
        assertThat(flux("get", "ks", "-A", "--status-selector", "ready=false").output())
                .doesNotContain("get-app");
        assertThat(flux("get", "ks", "-A", "--status-selector", "ready=true").output())
                .contains("get-app");
    }

    @Test
    void reconcileKustomizationWithSourceWaitsUntilTheNewCommitIsApplied() throws Exception {
        String url = LocalStackExtension.stack().git().create(NS + "-with-source");
        Path dir = Files.createTempDirectory("with-source");
        try (GitWorkspace repo = GitWorkspace.init(dir, url)) {
            repo.write("app/one.yaml", configMap("with-source-one")).commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(NS, "with-source", url, "1h"));
            Manifests.apply(
                    client, Manifests.kustomization(NS, "with-source", "with-source", "./app"));
            awaitFlux("get", "ks", "with-source");

            String second =
                    repo.write("app/two.yaml", configMap("with-source-two")).commitAndPush("two");
            FluxCli.Result result =
                    flux("reconcile", "ks", "with-source", "--with-source", "-n", NS);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output())
                    .contains("fetched revision main@sha1:" + second)
                    .contains("applied revision main@sha1:" + second);
            // the CLI returned once the commit was applied: the object is there now
            assertThat(client.configMaps().inNamespace(NS).withName("with-source-two").get())
                    .isNotNull();
        }
    }

    @Test
    void reconcileSourceHelmAndHelmReleaseWithSourceComplete() throws Exception {
        Manifests.apply(client, helmRelease("rec-charts", "rec-podinfo"));
        awaitFlux("get", "hr", "rec-podinfo");

        FluxCli.Result repository = flux("reconcile", "source", "helm", "rec-charts", "-n", NS);
        assertThat(repository.exitCode()).as(repository.output()).isZero();
        assertThat(repository.output()).containsPattern("fetched revision sha256:\\w{64}");

        FluxCli.Result release = flux("reconcile", "hr", "rec-podinfo", "--with-source", "-n", NS);
        assertThat(release.exitCode()).as(release.output()).isZero();
        assertThat(release.output())
                .contains("fetched revision 6.9.4")
                .contains("applied revision 6.9.4");
    }

    @Test
    void reconcileHelmReleaseForceUpgradesAndResetClearsTheCounts() throws Exception {
        Manifests.apply(client, helmRelease("force-charts", "force-podinfo"));
        awaitFlux("get", "hr", "force-podinfo");
        assertThat(release("force-podinfo").getStatus().history.get(0).version).isEqualTo(1);

        FluxCli.Result forced = flux("reconcile", "hr", "force-podinfo", "--force", "-n", NS);
        assertThat(forced.exitCode()).as(forced.output()).isZero();
        HelmRelease after = release("force-podinfo");
        assertThat(after.getStatus().history.get(0).version)
                .as("--force upgrades a release in sync")
                .isEqualTo(2);
        assertThat(after.getStatus().lastHandledForceAt)
                .isEqualTo(after.getMetadata().getAnnotations().get("reconcile.fluxcd.io/forceAt"));

        // failures counted meanwhile (as after failed upgrades that were remediated)
        client.resources(HelmRelease.class)
                .inNamespace(NS)
                .withName("force-podinfo")
                .subresource("status")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"status\":{\"failures\":3,\"upgradeFailures\":2,\"installFailures\":1}}");
        FluxCli.Result reset = flux("reconcile", "hr", "force-podinfo", "--reset", "-n", NS);
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        after = release("force-podinfo");
        assertThat(after.getStatus().failures).isZero();
        assertThat(after.getStatus().upgradeFailures).isZero();
        assertThat(after.getStatus().installFailures).isZero();
        assertThat(after.getStatus().lastHandledResetAt)
                .isEqualTo(after.getMetadata().getAnnotations().get("reconcile.fluxcd.io/resetAt"));
        assertThat(after.getStatus().history.get(0).version)
                .as("--reset alone does not upgrade")
                .isEqualTo(2);
    }

    @Test
    void suspendAndResumeAsTheCliDoes() throws Exception {
        String sha = gitSource("pause-repo", "pause-app", configMap("pause-one"));
        awaitFlux("get", "ks", "pause-app");

        assertThat(flux("suspend", "ks", "pause-app", "-n", NS).exitCode()).isZero();
        assertThat(flux("get", "ks", "pause-app", "-n", NS).output())
                .containsPattern("pause-app\\s+main@sha1:\\w+\\s+True\\s+True");
        FluxCli.Result refused = flux("reconcile", "ks", "pause-app", "-n", NS);
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("resource is suspended");

        FluxCli.Result resumed = flux("resume", "ks", "pause-app", "-n", NS);
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output())
                .contains("Kustomization pause-app reconciliation completed")
                .contains("applied revision main@sha1:" + sha);
    }

    @Test
    void treeTraceEventsAndExportDescribeWhatSluiceApplied() throws Exception {
        String sha = gitSource("tree-repo", "tree-app", configMap("tree-one"));
        awaitFlux("get", "ks", "tree-app");

        assertThat(flux("tree", "ks", "tree-app", "-n", NS).output())
                .contains("Kustomization/flux-cli/tree-app")
                .contains("ConfigMap/flux-cli/tree-one");
        assertThat(flux("trace", "configmap", "tree-one", "-n", NS).output())
                .containsPattern("Kustomization:\\s+tree-app")
                .containsPattern("GitRepository:\\s+tree-repo")
                .containsPattern("Revision:\\s+main@sha1:" + sha);
        assertThat(flux("events", "--for", "Kustomization/tree-app", "-n", NS).output())
                .containsPattern("ReconciliationSucceeded\\s+Kustomization/tree-app");
        assertThat(flux("export", "ks", "tree-app", "-n", NS).output())
                .contains("kind: Kustomization")
                .contains("path: ./app")
                .doesNotContain("status:");
    }

    @Test
    void buildAndDiffReadTheKustomizationFromTheCluster() throws Exception {
        String url = LocalStackExtension.stack().git().create(NS + "-diff");
        Path dir = Files.createTempDirectory("diff");
        try (GitWorkspace repo = GitWorkspace.init(dir, url)) {
            repo.write("app/one.yaml", configMap("diff-one")).commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(NS, "diff-repo", url, "1h"));
            Manifests.apply(client, Manifests.kustomization(NS, "diff-app", "diff-repo", "./app"));
            awaitFlux("get", "ks", "diff-app");

            String app = dir.resolve("app").toString();
            assertThat(flux("build", "ks", "diff-app", "--path", app, "-n", NS).output())
                    .contains("name: diff-one")
                    .contains("kustomize.toolkit.fluxcd.io/name: diff-app");
            FluxCli.Result same = flux("diff", "ks", "diff-app", "--path", app, "-n", NS);
            assertThat(same.exitCode()).as(same.output()).isZero();

            repo.write("app/one.yaml", configMap("diff-one").replace("a: b", "a: changed"));
            FluxCli.Result changed = flux("diff", "ks", "diff-app", "--path", app, "-n", NS);
            assertThat(changed.exitCode()).as(changed.output()).isEqualTo(1);
            assertThat(changed.output()).contains("ConfigMap/flux-cli/diff-one drifted");
        }
    }

    private static String gitSource(String repository, String kustomization, String object)
            throws Exception {
        String url = LocalStackExtension.stack().git().create(NS + "-" + repository);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(repository), url)) {
            String sha = repo.write("app/object.yaml", object).commitAndPush("one object");
            Manifests.apply(client, Manifests.gitRepository(NS, repository, url, "1h"));
            Manifests.apply(
                    client, Manifests.kustomization(NS, kustomization, repository, "./app"));
            return sha;
        }
    }

    private static String helmRelease(String repository, String release) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: %1$s, namespace: %3$s}
                spec: {interval: 1h, url: "%4$s"}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: %2$s, namespace: %3$s}
                spec:
                  interval: 1h
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.9.4"
                      sourceRef: {kind: HelmRepository, name: %1$s}
                  values: {replicaCount: 1}
                """
                .formatted(repository, release, NS, charts);
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\ndata: {a: b}\n"
                .formatted(name, NS);
    }

    private static HelmRelease release(String name) {
        return client.resources(HelmRelease.class).inNamespace(NS).withName(name).get();
    }

    /** Waits until {@code flux get <kind> <name>} shows the object Ready. */
    private static void awaitFlux(String... get) {
        String[] args = java.util.Arrays.copyOf(get, get.length + 2);
        args[get.length] = "-n";
        args[get.length + 1] = NS;
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () ->
                                assertThat(flux(args).output())
                                        .containsPattern(
                                                get[get.length - 1]
                                                        + "\\s+\\S+\\s+False\\s+True\\s"));
    }

    private static FluxCli.Result flux(String... args) throws Exception {
        String[] withTimeout = java.util.Arrays.copyOf(args, args.length + 2);
        withTimeout[args.length] = "--timeout";
        withTimeout[args.length + 1] = "60s";
        return FluxCli.run(withTimeout);
    }
}
