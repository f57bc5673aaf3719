package io.sluice.local.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.local.LocalStack;
import io.sluice.local.LocalStackMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * On the local stack with the sample repository: how long after {@code kubectl scale}, {@code
 * kubectl patch} (what {@code kubectl edit} sends) and {@code kubectl delete} of applied objects
 * Sluice has put them back, N times each, and how many DriftCorrected alerts reached the alerts
 * topic. Times run from kubectl's exit (the change is in the API server) to the moment the
 * corrected object is seen; kubectl's own run time is printed beside them.
 */
public final class DriftToCorrected {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (LocalStack stack =
                        LocalStack.start(repoRoot, Files.createTempDirectory("sluice-drift-"));
                KafkaConsumer<String, String> alerts = consumer(stack.kafkaBootstrapServers())) {
            KubernetesClient client = stack.client();
            LocalStackMain.bootstrapSample(stack, repoRoot);
            if (!LocalStackMain.awaitReady(client)) {
                throw new IllegalStateException(
                        "the sample did not become Ready:\n" + LocalStackMain.statusTable(client));
            }
            String kubeconfig = stack.kubeconfig().toString();
            List<Long> scale = new ArrayList<>();
            List<Long> edit = new ArrayList<>();
            List<Long> delete = new ArrayList<>();
            List<Long> kubectl = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                scale.add(
                        timed(
                                kubectl,
                                () ->
                                        run(
                                                kubeconfig,
                                                "scale",
                                                "deployment/n8n",
                                                "-n",
                                                "n8n",
                                                "--replicas=3"),
                                () ->
                                        client.apps()
                                                        .deployments()
                                                        .inNamespace("n8n")
                                                        .withName("n8n")
                                                        .get()
                                                        .getSpec()
                                                        .getReplicas()
                                                == 1));
                edit.add(
                        timed(
                                kubectl,
                                () ->
                                        run(
                                                kubeconfig,
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
                                                                .get("GENERIC_TIMEZONE"))));
                String uid = settings(client).getMetadata().getUid();
                delete.add(
                        timed(
                                kubectl,
                                () ->
                                        run(
                                                kubeconfig,
                                                "delete",
                                                "configmap/n8n-settings",
                                                "-n",
                                                "n8n"),
                                () ->
                                        settings(client) != null
                                                && !uid.equals(
                                                        settings(client).getMetadata().getUid())));
            }
            long driftAlerts = countDriftAlerts(alerts, 3 * samples);
            report("kubectl scale deployment/n8n --replicas=3 -> scaled back to 1", scale);
            report("kubectl patch configmap/n8n-settings (an edit) -> restored", edit);
            report("kubectl delete configmap/n8n-settings -> recreated", delete);
            report("(kubectl's own run time, every command)", kubectl);
            System.out.printf(
                    "DriftCorrected alerts on %s: %d of %d corrections%n",
                    Topics.ALERTS, driftAlerts, 3 * samples);
        }
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

    private static void run(String kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
        command.addAll(List.of(args));
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
