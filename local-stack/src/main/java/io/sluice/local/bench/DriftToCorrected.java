package io.sluice.local.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.local.LocalStack;
import io.sluice.local.LocalStackMain;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * On the local stack with the sample repository: how long after {@code kubectl scale}, {@code
 * kubectl patch} (what {@code kubectl edit} sends) and {@code kubectl delete} of applied objects
 * Sluice has put them back, N times each, and how many DriftCorrected alerts reached the alerts
 * topic. Times run from kubectl's exit (the change is in the API server) to the moment the
 * corrected object is seen; kubectl's own run time is printed beside them. With a third argument K,
 * on K live Kustomizations of {@link BenchApps} instead, a different app each time.
 */
public final class DriftToCorrected {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** One kind of drift: the kubectl command that makes it, and when it is put right. */
    private record Drift(String what, List<String> kubectl, BooleanSupplier corrected) {}

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int apps = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path dir = Files.createTempDirectory("sluice-drift-");
        try (LocalStack stack =
                        apps > 0
                                ? LocalStack.start(
                                        repoRoot,
                                        dir,
                                        "--nodes",
                                        String.valueOf(apps / 100 + 2),
                                        "--controller-qps",
                                        "200")
                                : LocalStack.start(repoRoot, dir);
                KafkaConsumer<String, String> alerts = consumer(stack.kafkaBootstrapServers())) {
            KubernetesClient client = stack.client();
            IntFunction<List<Drift>> drifts;
            if (apps > 0) {
                Manifests.apply(client, Manifests.namespace(BenchApps.NS));
                Manifests.apply(client, Manifests.namespace(BenchApps.TARGET));
                try (BenchApps.Pushed pushed = BenchApps.pushRepository(stack, apps)) {
                    BenchApps.createKustomizations(client, apps);
                    BenchApps.awaitAll(
                            client.resources(Kustomization.class)
                                    .inNamespace(BenchApps.NS)
                                    .runnableInformer(0),
                            apps,
                            k -> BenchApps.readyAt(k, "main@sha1:" + pushed.sha()),
                            Duration.ofMinutes(20));
                }
                System.out.printf("%d Kustomizations x 4 objects live%n", apps);
                drifts = i -> appDrifts(client, BenchApps.app(BenchApps.sampled(apps, i)));
            } else {
                LocalStackMain.bootstrapSample(stack, repoRoot);
                if (!LocalStackMain.awaitReady(client)) {
                    throw new IllegalStateException(
                            "the sample did not become Ready:\n"
                                    + LocalStackMain.statusTable(client));
                }
                drifts = i -> sampleDrifts(client);
            }
            String kubeconfig = stack.kubeconfig().toString();
            Map<String, List<Long>> times = new LinkedHashMap<>();
            List<Long> kubectl = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                for (Drift drift : drifts.apply(i)) {
                    times.computeIfAbsent(drift.what(), w -> new ArrayList<>())
                            .add(
                                    timed(
                                            kubectl,
                                            () -> run(kubeconfig, drift.kubectl()),
                                            drift.corrected()));
                }
            }
            int corrections = times.values().stream().mapToInt(List::size).sum();
            long driftAlerts = countDriftAlerts(alerts, corrections);
            times.forEach(DriftToCorrected::report);
            report("(kubectl's own run time, every command)", kubectl);
            System.out.printf(
                    "DriftCorrected alerts on %s: %d of %d corrections%n",
                    Topics.ALERTS, driftAlerts, corrections);
        }
    }

    /** The sample's n8n: its Deployment scaled, its settings edited, then deleted. */
    private static List<Drift> sampleDrifts(KubernetesClient client) {
        String uid = settings(client).getMetadata().getUid();
        return List.of(
                new Drift(
                        "kubectl scale deployment/n8n --replicas=3 -> scaled back to 1",
                        List.of("scale", "deployment/n8n", "-n", "n8n", "--replicas=3"),
                        () ->
                                client.apps()
                                                .deployments()
                                                .inNamespace("n8n")
                                                .withName("n8n")
                                                .get()
                                                .getSpec()
                                                .getReplicas()
                                        == 1),
                new Drift(
                        "kubectl patch configmap/n8n-settings (an edit) -> restored",
                        List.of(
                                "patch",
                                "configmap/n8n-settings",
                                "-n",
                                "n8n",
                                "--type=merge",
                                "-p",
                                "{\"data\":{\"GENERIC_TIMEZONE\":\"UTC\"}}"),
                        () ->
                                "Europe/London"
                                        .equals(
                                                settings(client)
                                                        .getData()
                                                        .get("GENERIC_TIMEZONE"))),
                new Drift(
                        "kubectl delete configmap/n8n-settings -> recreated",
                        List.of("delete", "configmap/n8n-settings", "-n", "n8n"),
                        () ->
                                settings(client) != null
                                        && !uid.equals(settings(client).getMetadata().getUid())));
    }

    /**
     * One bench app's Deployment scaled, its Service's selector edited, its ServiceAccount deleted.
     */
    private static List<Drift> appDrifts(KubernetesClient client, String app) {
        String ns = BenchApps.TARGET;
        String uid =
                client.serviceAccounts().inNamespace(ns).withName(app).get().getMetadata().getUid();
        return List.of(
                new Drift(
                        "kubectl scale deployment/<app> --replicas=3 -> scaled back to 1",
                        List.of("scale", "deployment/" + app, "-n", ns, "--replicas=3"),
                        () ->
                                client.apps()
                                                .deployments()
                                                .inNamespace(ns)
                                                .withName(app)
                                                .get()
                                                .getSpec()
                                                .getReplicas()
                                        == 1),
                new Drift(
                        "kubectl patch service/<app> (its selector) -> restored",
                        List.of(
                                "patch",
                                "service/" + app,
                                "-n",
                                ns,
                                "--type=merge",
                                "-p",
                                "{\"spec\":{\"selector\":{\"app\":\"other\"}}}"),
                        () ->
                                app.equals(
                                        client.services()
                                                .inNamespace(ns)
                                                .withName(app)
                                                .get()
                                                .getSpec()
                                                .getSelector()
                                                .get("app"))),
                new Drift(
                        "kubectl delete serviceaccount/<app> -> recreated",
                        List.of("delete", "serviceaccount/" + app, "-n", ns),
                        () -> {
                            var account =
                                    client.serviceAccounts().inNamespace(ns).withName(app).get();
                            return account != null && !uid.equals(account.getMetadata().getUid());
                        }));
    }

    private interface Action {
        void run() throws Exception;
    }

    private static long timed(List<Long> kubectlTimes, Action change, BooleanSupplier corrected)
            throws Exception {
        long before = System.nanoTime();
        change.run();
        long changed = System.nanoTime();
        kubectlTimes.add((changed - before) / 1_000_000);
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!corrected.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not corrected within " + DEADLINE);
            }
            Thread.onSpinWait();
        }
        return (System.nanoTime() - changed) / 1_000_000;
    }

    private static ConfigMap settings(KubernetesClient client) {
        return client.configMaps().inNamespace("n8n").withName("n8n-settings").get();
    }

    private static void run(String kubeconfig, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "drift-bench-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer());
        consumer.subscribe(List.of(Topics.ALERTS));
        return consumer;
    }

    private static long countDriftAlerts(KafkaConsumer<String, String> alerts, int expected) {
        long count = 0;
        Instant deadline = Instant.now().plus(DEADLINE);
        while (count < expected && Instant.now().isBefore(deadline)) {
            for (var record : alerts.poll(Duration.ofMillis(500))) {
                if (Objects.requireNonNullElse(record.value(), "").contains("DriftCorrected")) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf(
                "%-64s median %5d ms  (min %d, max %d, n=%d)  %s%n",
                what,
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                sorted.size(),
                millis);
    }
}
