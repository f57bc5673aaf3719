package io.sluice.local.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.source.GitRepository;
import io.sluice.local.ApiServerMetrics;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A commit that changes one app of K on one repository (the apps of {@link BenchApps}), with {@code
 * reconcile.fluxcd.io/requestedAt} set on the GitRepository right after the push: the time to that
 * app's Kustomization being Ready at the new revision, the time to all K recording it, and the dry
 * runs the API server answered meanwhile (its {@code apiserver_request_total}; the changed app's
 * objects need 5). Each sample changes another app and waits for all K before the next.
 */
final class OneAmongMany {
    private static final Duration DEADLINE = Duration.ofMinutes(20);

    private OneAmongMany() {}

    static void measure(java.nio.file.Path repoRoot, int apps, int samples) throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("sluice-bench-");
        try (LocalStack stack =
                LocalStack.start(
                        repoRoot,
                        dir,
                        "--nodes",
                        String.valueOf(apps / 100 + 2),
                        "--controller-qps",
                        "200")) {
            KubernetesClient client = stack.client();
            Manifests.apply(client, Manifests.namespace(BenchApps.NS));
            Manifests.apply(client, Manifests.namespace(BenchApps.TARGET));
            Instant start = Instant.now();
            try (BenchApps.Pushed pushed = BenchApps.pushRepository(stack, apps)) {
                BenchApps.createKustomizations(client, apps);
                awaitAllAt(client, apps, pushed.sha());
                System.out.printf(
                        "%d Kustomizations x 4 objects Ready in %.1f s%n",
                        apps, Duration.between(start, Instant.now()).toMillis() / 1000.0);
                List<Duration> toReady = new ArrayList<>();
                List<Duration> toAll = new ArrayList<>();
                List<Long> dryRuns = new ArrayList<>();
                for (int i = 1; i <= samples; i++) {
                    int app = BenchApps.sampled(apps, i);
                    pushed.repo().write(BenchApps.path(app), changed(i));
                    long dryRunsBefore = ApiServerMetrics.dryRuns(client, null);
                    Instant pushedAt = Instant.now();
                    String revision = "main@sha1:" + pushed.repo().commitAndPush("sample " + i);
                    Manifests.requestReconcile(
                            client, GitRepository.class, BenchApps.NS, BenchApps.TARGET);
                    awaitReady(client, BenchApps.app(app), revision);
                    toReady.add(Duration.between(pushedAt, Instant.now()));
                    awaitAllAt(client, apps, revision.substring("main@sha1:".length()));
                    toAll.add(Duration.between(pushedAt, Instant.now()));
                    dryRuns.add(ApiServerMetrics.dryRuns(client, null) - dryRunsBefore);
                    // read from the logs once all are done: not beside the renders measured
                    System.out.printf(
                            "sample %d, %s: %s, Ready seen +%d ms%n",
                            i,
                            BenchApps.app(app),
                            StageTimes.ofOne(
                                    dir.resolve("logs"), BenchApps.app(app), revision, pushedAt),
                            toReady.get(toReady.size() - 1).toMillis());
                }
                PushToReady.report("1 app of " + apps + " changed", toReady);
                PushToReady.report("all " + apps + " at the commit", toAll);
                System.out.printf("dry runs per commit: %s%n", dryRuns);
            }
        } finally {
            BenchApps.deleteQuietly(dir);
        }
    }

    /** The app's objects and a ConfigMap whose value is the sample's. */
    private static String changed(int sample) {
        return BenchApps.objects("${app}")
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-sample\n"
                + "data:\n  sample: \""
                + sample
                + "\"\n";
    }

    private static void awaitReady(KubernetesClient client, String name, String revision)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            Kustomization ks =
                    client.resources(Kustomization.class)
                            .inNamespace(BenchApps.NS)
                            .withName(name)
                            .get();
            if (ks != null && BenchApps.readyAt(ks, revision)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not Ready at " + revision);
    }

    private static void awaitAllAt(KubernetesClient client, int apps, String sha)
            throws InterruptedException {
        SharedIndexInformer<Kustomization> informer =
                client.resources(Kustomization.class).inNamespace(BenchApps.NS).runnableInformer(0);
        BenchApps.awaitAll(informer, apps, k -> BenchApps.readyAt(k, "main@sha1:" + sha), DEADLINE);
    }
}
