package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.sluice.cli.Sluice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sluice CLI against the running stack, as a user runs it after {@code source .local/env}:
 * check, logs, trace, alerts and drift, each about a Kustomization of the test's own.
 */
@ExtendWith(LocalStackExtension.class)
class SluiceCliTest {
    private static final String NS = "cli";

    @Test
    void checkLogsTraceAlertsAndDriftAnswerForAKustomization() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String sha = SettingsRepository.deploy(stack, NS, "{mode: \"git\"}");
        String revision = "main@sha1:" + sha;

        Run check = sluice("check");
        assertThat(check.code).as(check.out).isZero();
        assertThat(check.out)
                .contains(
                        "✔ source-service: ready",
                        "✔ health-service: ready",
                        "✔ Kafka: 1 broker(s)")
                .contains(
                        "✔ kustomizations.kustomize.toolkit.fluxcd.io/v1",
                        "✔ alerts.notification.toolkit.fluxcd.io/v1beta3")
                .contains("✔ all checks passed")
                .doesNotContain("✗");

        await().atMost(Duration.ofSeconds(90))
                .until(() -> sluice("logs", "ks/app", "-n", NS).out.contains("applied: 1 created"));
        Run logs = sluice("logs", "ks/app", "-n", NS);
        assertThat(logs.out.lines())
                .allMatch(
                        l ->
                                l.matches(
                                        "\\S+ (debug|info|warn|error) Kustomization/app\\.cli - .*"));

        Run trace =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> sluice("trace", "ks/app", "-n", NS),
                                // the latest trace: an attempt made before the source had its
                                // artifact may come first
                                r ->
                                        // every stage's span exported (each in its own batch)
                                        List.of("render-service", "apply-service", "health-service")
                                                .stream()
                                                .allMatch(
                                                        service ->
                                                                r.out.lines()
                                                                        .anyMatch(
                                                                                l ->
                                                                                        l
                                                                                                        .startsWith(
                                                                                                                service)
                                                                                                && l
                                                                                                        .contains(
                                                                                                                revision))));
        assertThat(trace.out)
                .contains("SERVICE", "DURATION", "Jaeger: " + stack.jaeger().url() + "/trace/");
        for (List<String> stage :
                List.of(
                        List.of("render-service", "render"),
                        List.of("apply-service", "apply"),
                        List.of("health-service", "health"))) {
            assertThat(
                            trace.out
                                    .lines()
                                    .map(
                                            l ->
                                                    List.of(l.split("\t")).stream()
                                                            .map(String::trim)
                                                            .toList()))
                    .as(stage.toString())
                    .anyMatch(
                            cells ->
                                    cells.size() >= 4
                                            && cells.subList(0, 4)
                                                    .equals(
                                                            List.of(
                                                                    stage.get(0),
                                                                    stage.get(1),
                                                                    "Kustomization/cli/app",
                                                                    revision)));
        }

        Run alerts =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> sluice("alerts", "-n", NS),
                                r -> r.out.contains("ReconciliationSucceeded"));
        assertThat(alerts.out.lines().findFirst())
                .hasValueSatisfying(h -> assertThat(h).startsWith("TIME"));
        assertThat(alerts.out)
                .contains("Kustomization/cli/app", revision)
                .doesNotContain("flux-system");

        assertThat(sluice("drift", "ks/app", "-n", NS).out)
                .contains("✔ no drift of Kustomization/cli/app");
        client.configMaps()
                .inNamespace(NS)
                .withName("settings")
                .patch(
                        new PatchContext.Builder()
                                .withPatchType(PatchType.JSON_MERGE)
                                .withFieldManager("kubectl-edit")
                                .build(),
                        "{\"data\":{\"mode\":\"hand\"}}");
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            ConfigMap settings =
                                    client.configMaps().inNamespace(NS).withName("settings").get();
                            return "git".equals(settings.getData().get("mode"));
                        });
        Run drift =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> sluice("drift", "ks/app", "-n", NS),
                                r -> r.out.contains("corrected"));
        assertThat(drift.out.lines().filter(l -> l.contains("ConfigMap/cli/settings")))
                .anyMatch(
                        l ->
                                l.contains("corrected")
                                        && l.contains("mode")
                                        && l.contains("kubectl-edit"));
    }

    private record Run(int code, String out) {}

    private static Run sluice(String command, String... args) {
        LocalStack stack = LocalStackExtension.stack();
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(args));
        all.addAll(List.of("--kubeconfig", stack.kubeconfig().toString()));
        if (List.of("check", "alerts", "drift").contains(command)) {
            all.addAll(List.of("--kafka-bootstrap-servers", stack.kafkaBootstrapServers()));
        }
        switch (command) {
            case "check" -> {
                for (String service : LocalStack.SERVICES) {
                    all.add("--" + service + "-url");
                    all.add(stack.service(service).url());
                }
            }
            case "trace" -> all.addAll(List.of("--jaeger-url", stack.jaeger().url()));
            case "logs" ->
                    all.addAll(List.of("--log-dir", stack.runDir().resolve("logs").toString()));
            default -> {}
        }
        StringWriter out = new StringWriter();
        int code =
                Sluice.commandLine()
                        .setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(out))
                        .execute(all.toArray(String[]::new));
        return new Run(code, out.toString());
    }
}
