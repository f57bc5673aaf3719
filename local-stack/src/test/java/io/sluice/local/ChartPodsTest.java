package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sluice as the chart installs it: the four services run from their images (deploy/images/build) as
 * the chart's Deployments say, by deploy/local/pod/run (the command, environment, user, read-only
 * root, /tmp emptyDir and memory limit of the pod spec; the ServiceAccount's token where the
 * in-cluster configuration reads it). A repository reconciles to Ready and a drift is put back, no
 * service meets a forbidden call, and each runs as the chart says it runs. The stack's services run
 * as processes again afterwards.
 */
@ExtendWith(LocalStackExtension.class)
class ChartPodsTest {
    private static final String NS = "chart-pods-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static KubernetesClient client;
    private static final Map<String, Long> logStart = new HashMap<>();

    @BeforeAll
    static void runAsPods() throws Exception {
        stack = LocalStackExtension.stack();
        client = stack.client();
        Launcher.output(stack.repoRoot().resolve("deploy/images/build"));
        for (String service : LocalStack.SERVICES) {
            logStart.put(service, Files.size(log(service)));
        }
        stack.runServicesAsPods();
    }

    @AfterAll
    static void backToProcesses() throws Exception {
        stack.runServicesAsProcesses();
    }

    @Test
    void theRepositoryReconcilesAndDriftIsPutBackWithTheChartsRbacAlone() throws Exception {
        String url = stack.git().create(NS);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(NS), url)
                        .write(
                                "app/settings.yaml",
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                        + "data: {greeting: from-git}\n")
                        .write(
                                "app/web.yaml",
                                """
                                apiVersion: apps/v1
                                kind: Deployment
                                metadata: {name: web}
                                spec:
                                  replicas: 1
                                  selector: {matchLabels: {app: web}}
                                  template:
                                    metadata: {labels: {app: web}}
                                    spec:
                                      containers: [{name: web, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                                """)) {
            repo.commitAndPush("an app");
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            Manifests.apply(
                    client,
                    Manifests.kustomization(NS, "app", NS, "./app")
                            .replace("  prune: true", "  prune: true\n  targetNamespace: " + NS));

            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    FluxReady.of(client, NS, "app")
                                            .map(c -> "True".equals(c.getStatus()))
                                            .orElse(false));
            assertThat(greeting()).isEqualTo("from-git");

            client.configMaps()
                    .inNamespace(NS)
                    .withName("settings")
                    .edit(
                            cm -> {
                                cm.getData().put("greeting", "edited by hand");
                                return cm;
                            });
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> "from-git".equals(greeting()));
        }
        for (String service : LocalStack.SERVICES) {
            assertThat(logSincePodsStarted(service))
                    .as(service + " met no forbidden call")
                    .doesNotContainIgnoringCase("forbidden");
        }
    }

    @Test
    void eachServiceRunsAsTheChartSaysNotAsRootOnAReadOnlyRootWithTheHeapFromItsLimit()
            throws Exception {
        for (String service : LocalStack.SERVICES) {
            long pid = containerPid(service);
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertThat(status).as(service).containsPattern("(?m)^Uid:\\s+10001\\s+10001");
            assertThat(status).as(service).containsPattern("(?m)^Gid:\\s+10001\\s+10001");
            assertThat(status).as(service).containsPattern("(?m)^CapEff:\\s+0+$");
            String rootMount =
                    Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
                            .filter(line -> line.split(" ")[4].equals("/"))
                            .reduce((first, last) -> last)
                            .orElseThrow();
            assertThat(rootMount.split(" ")[5]).as(service + " root").startsWith("ro");
            // the chart's 512Mi limit; three quarters of it for the heap (without the limit the
            // JVM would take three quarters of the machine)
            assertThat(heapMaxBytes(service))
                    .as(service + " heap")
                    .isBetween(300L << 20, 384L << 20);
        }
    }

    private static String greeting() {
        ConfigMap settings = client.configMaps().inNamespace(NS).withName("settings").get();
        return settings == null ? null : settings.getData().get("greeting");
    }

    /** The service's JVM: the launcher's child in the host's PID namespace. */
    private static long containerPid(String service) {
        return ProcessHandle.of(stack.service(service).pid())
                .orElseThrow()
                .children()
                .findFirst()
                .orElseThrow()
                .pid();
    }

    /** The largest heap the JVM may use: the sum of its heap pools' maxima, from /q/metrics. */
    private static long heapMaxBytes(String service) throws IOException, InterruptedException {
        String metrics =
                HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        stack.service(service).url()
                                                                + "/q/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        Matcher heap =
                Pattern.compile("(?m)^jvm_memory_max_bytes\\{area=\"heap\",[^}]*} (\\S+)$")
                        .matcher(metrics);
        double sum = 0;
        while (heap.find()) {
            sum += Double.parseDouble(heap.group(1));
        }
        return (long) sum;
    }

    private static Path log(String service) {
        return stack.runDir().resolve("logs").resolve(service + ".log");
    }

    private static String logSincePodsStarted(String service) throws IOException {
        byte[] all = Files.readAllBytes(log(service));
        int from = logStart.get(service).intValue();
        return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }
}
