package io.sluice.local.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.source.GitRepository;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
        try (LocalStack stack =
                LocalStack.start(
                        repoRoot,
                        Files.createTempDirectory("sluice-bench-"),
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
                    int app = (apps / 2 + i * 7919) % apps;
                    pushed.repo().write(BenchApps.path(app), changed(i));
                    long dryRunsBefore = dryRuns(client);
                    Instant pushedAt = Instant.now();
                    String revision = "main@sha1:" + pushed.repo().commitAndPush("sample " + i);
                    requestReconcile(client);
                    awaitReady(client, BenchApps.app(app), revision);
                    toReady.add(Duration.between(pushedAt, Instant.now()));
                    awaitAllAt(client, apps, revision.substring("main@sha1:".length()));
                    toAll.add(Duration.between(pushedAt, Instant.now()));
                    dryRuns.add(dryRuns(client) - dryRunsBefore);
                }
                PushToReady.report("1 app of " + apps + " changed:", toReady);
                PushToReady.report("all " + apps + " at the commit:", toAll);
                System.out.printf("dry runs per commit: %s%n", dryRuns);
            }
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

    private static void requestReconcile(KubernetesClient client) {
        client.resources(GitRepository.class)
                .inNamespace(BenchApps.NS)
                .withName(BenchApps.TARGET)
                .edit(
                        r -> {
                            var annotations =
                                    r.getMetadata().getAnnotations() == null
                                            ? new HashMap<String, String>()
                                            : new HashMap<>(r.getMetadata().getAnnotations());
                            annotations.put(Annotations.REQUESTED_AT, Instant.now().toString());
                            r.getMetadata().setAnnotations(annotations);
                            return r;
                        });
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

    /** Every dry-run request the API server has answered, as its metrics count them. */
    private static long dryRuns(KubernetesClient client) {
        return client.raw(client.getMasterUrl() + "metrics")
                .lines()
                .filter(line -> line.startsWith("apiserver_request_total{"))
                .filter(line -> line.contains("dry_run=\"All\""))
                .mapToLong(
                        line ->
                                (long)
                                        Double.parseDouble(
                                                line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
