package io.sluice.local.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import io.sluice.local.GitWorkspace;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the time from {@code git push} to the Kustomization being Ready at the pushed revision,
 * on the local stack, two ways: with {@code reconcile.fluxcd.io/requestedAt} set right after the
 * push (as a webhook or {@code flux reconcile source git} would), and with a 10 s source interval
 * and nothing else. Prints every sample and the median. With a third argument K, measures instead a
 * commit that changes one app of K on one repository ({@link OneAmongMany}).
 */
public final class PushToReady {
    private static final String NS = "flux-system";

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int apps = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        if (apps > 0) {
            OneAmongMany.measure(repoRoot, apps, samples);
            return;
        }
        try (LocalStack stack =
                LocalStack.start(repoRoot, Files.createTempDirectory("sluice-bench-"))) {
            KubernetesClient client = stack.client();
            Manifests.apply(client, Manifests.namespace(NS));
            report("requestedAt annotation", measure(stack, "annotated", "10m", true, samples));
            report("10s interval", measure(stack, "polled", "10s", false, samples));
        }
    }

    private static List<Duration> measure(
            LocalStack stack, String name, String interval, boolean annotate, int samples)
            throws Exception {
        KubernetesClient client = stack.client();
        String url = stack.git().create(name);
        List<Duration> results = new ArrayList<>();
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(name), url)) {
            String sha =
                    repo.write("app/ns.yaml", Manifests.namespace(name))
                            .write("app/settings.yaml", configMap(name, 0))
                            .commitAndPush("start");
            Manifests.apply(client, Manifests.gitRepository(NS, name, url, interval));
            Manifests.apply(client, Manifests.kustomization(NS, name, name, "./app"));
            awaitReady(client, name, sha, Duration.ofMinutes(2));
            for (int i = 1; i <= samples; i++) {
                repo.write("app/settings.yaml", configMap(name, i));
                Instant pushed = Instant.now();
                sha = repo.commitAndPush("change " + i);
                if (annotate) {
                    client.resources(GitRepository.class)
                            .inNamespace(NS)
                            .withName(name)
                            .edit(
                                    r -> {
                                        r.getMetadata()
                                                .getAnnotations()
                                                .put(
                                                        Annotations.REQUESTED_AT,
                                                        Instant.now().toString());
                                        return r;
                                    });
                }
                awaitReady(client, name, sha, Duration.ofMinutes(2));
                results.add(Duration.between(pushed, Instant.now()));
            }
        }
        return results;
    }

    private static void awaitReady(
            KubernetesClient client, String name, String sha, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String revision = "main@sha1:" + sha;
        while (Instant.now().isBefore(deadline)) {
            Kustomization ks =
                    client.resources(Kustomization.class).inNamespace(NS).withName(name).get();
            if (ks != null
                    && ks.getStatus() != null
                    && revision.equals(ks.getStatus().lastAppliedRevision)
                    && Conditions.isTrue(ks.getStatus().conditions, Conditions.READY)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "Kustomization " + name + " not Ready at " + revision + " within " + timeout);
    }

    static void report(String mode, List<Duration> samples) {
        List<Long> millis = samples.stream().map(Duration::toMillis).sorted().toList();
        System.out.printf(
                "push to Ready, %-24s median %5d ms   samples %s%n",
                mode + ":",
                millis.get(millis.size() / 2),
                samples.stream().map(Duration::toMillis).toList());
    }

    private static String configMap(String namespace, int value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: "
                + namespace
                + "\ndata:\n  value: \""
                + value
                + "\"\n";
    }
}
