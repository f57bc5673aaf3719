package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sluice installed as users install it: its images (deploy/images/build) on a real node (kubelet,
 * containerd and runc on this machine: deploy/local/node), its chart installed by {@code helm
 * upgrade --install --wait}, so each Deployment is Available only when the kubelet's probes pass. A
 * repository reconciles to Ready and a drift is put back with the chart's RBAC alone (no forbidden
 * call in any container's log), and each container runs as the chart's security contexts say. The
 * stack's services run as processes again afterwards.
 */
@ExtendWith(LocalStackExtension.class)
class ChartOnNodeTest {
    private static final String NS = "chart-on-node-test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static KubernetesClient client;

    @BeforeAll
    static void installTheChart() throws Exception {
        stack = LocalStackExtension.stack();
        client = stack.client();
        Launcher.output(stack.repoRoot().resolve("deploy/images/build"));
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
            Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));

            await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, NS, "app"));
            assertThat(OneConfigMapRepository.greeting(client, NS)).isEqualTo("from-git");

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
                    .until(() -> "from-git".equals(OneConfigMapRepository.greeting(client, NS)));
        }
        String logs = containerLogs();
        for (String service : LocalStack.SERVICES) {
            assertThat(logs)
                    .as("the containers' logs")
                    .contains(service + " 0.1.0-SNAPSHOT on JVM");
        }
        // the chart's own accounts are refused nothing, as the API server words a refusal (quotes
        // escaped in the JSON lines); other refusals, such as another test's ResourceQuota, may be
        // reported by objects reconciled again
        assertThat(logs)
                .doesNotContainPattern(
                        Pattern.quote("system:serviceaccount:" + LocalStack.SLUICE_NAMESPACE + ":")
                                + "[a-z-]+\\\\?\" cannot");
    }

    /**
     * The flux CLI reads the services' pods as it reads Flux's controllers: {@code flux logs} finds
     * them by their part-of label and prints their records about an object, filtered by kind, name,
     * namespace and level; {@code flux check} finds the Deployments Available and the CRDs labelled
     * as Flux's install labels them.
     */
    @Test
    void theFluxCliReadsTheServicesLogsAndChecksTheInstall() throws Exception {
        String ns = "chart-on-node-flux-cli";
        String url = OneConfigMapRepository.push(stack, ns, "logged");
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
        Manifests.apply(client, Manifests.kustomizationInto(ns, "app", ns, "./app"));
        Manifests.apply(client, Manifests.kustomization(ns, "lost", ns, "./missing"));
        await().atMost(DEADLINE).until(() -> FluxReady.isReady(client, ns, "app"));

        String fluxNamespace = "--flux-namespace=" + LocalStack.SLUICE_NAMESPACE;
        String rendered = "info Kustomization/app." + ns + " - rendered 1 objects";
        await().atMost(DEADLINE)
                .until(
                        () ->
                                FluxCli.run(
                                                "logs",
                                                fluxNamespace,
                                                "-n",
                                                ns,
                                                "--kind=Kustomization",
                                                "--name=app")
                                        .output(),
                        out -> out.contains(rendered));
        FluxCli.Result app =
                FluxCli.run("logs", fluxNamespace, "-n", ns, "--kind=Kustomization", "--name=app");
        assertThat(app.exitCode()).isZero();
        assertThat(app.output().lines())
                .isNotEmpty()
                .allMatch(line -> line.contains(" Kustomization/app." + ns + " - "));

        String lost = "error Kustomization/lost." + ns + " - ";
        await().atMost(DEADLINE)
                .until(
                        () -> FluxCli.run("logs", fluxNamespace, "-A", "--level=error").output(),
                        out -> out.contains(lost));
        FluxCli.Result errors = FluxCli.run("logs", fluxNamespace, "-n", ns, "--level=error");
        assertThat(errors.output())
                .contains(lost + "BuildFailed: path './missing' not found")
                .doesNotContain(rendered);

        FluxCli.Result check = FluxCli.run("check", "--namespace=" + LocalStack.SLUICE_NAMESPACE);
        assertThat(check.output())
                .as("flux check")
                .contains("distribution: flux-v2.9.5")
                .contains("✔ source-service: deployment ready")
                .contains("✔ health-service: deployment ready")
                .contains("► ghcr.io/sluice/apply-service:")
                .contains("gitrepositories.source.toolkit.fluxcd.io/v1")
                .contains("helmreleases.helm.toolkit.fluxcd.io/v2")
                .contains("all checks passed");
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void eachContainerRunsAsTheChartSaysWithItsHeapFromItsMemoryLimit() throws Exception {
        for (String service : LocalStack.SERVICES) {
            Pod pod = pod(service);
            assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalNode.NAME);
            String container =
                    pod.getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getContainerID()
                            .replace("containerd://", "");
            long pid = jvmOf(container);
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            // runAsUser/runAsGroup, capabilities drop ALL, allowPrivilegeEscalation false,
            // seccompProfile RuntimeDefault (2: a filter)
            assertThat(status)
                    .as(service)
                    .containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s+10001")
                    .containsPattern("(?m)^Gid:\\s+10001\\s+10001\\s+10001")
                    .containsPattern("(?m)^CapEff:\\s+0+$")
                    .containsPattern("(?m)^CapBnd:\\s+0+$")
                    .containsPattern("(?m)^NoNewPrivs:\\s+1$")
                    .containsPattern("(?m)^Seccomp:\\s+2$");
            String root =
                    Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
                            .filter(line -> line.split(" ")[4].equals("/"))
                            .reduce((first, last) -> last)
                            .orElseThrow();
            assertThat(root.split(" ")[5]).as(service + " root filesystem").startsWith("ro");
            // 60 % of the chart's 512Mi limit (without the limit the JVM would size its heap from
            // the machine's 24 GiB)
            int port = pod.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            assertThat(heapMaxBytes(port)).as(service + " heap").isBetween(250L << 20, 308L << 20);
        }
    }

    private static Pod pod(String service) {
        List<Pod> pods =
                client.pods()
                        .inNamespace(LocalStack.SLUICE_NAMESPACE)
                        .withLabel("app.kubernetes.io/name", service)
                        .list()
                        .getItems();
        assertThat(pods).as(service + " pods").hasSize(1);
        return pods.get(0);
    }

    /** The container's java process: the one in the container's cgroup running the JVM. */
    private static long jvmOf(String containerId) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process :
                    processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(process.resolve("cgroup")).contains(containerId)
                            && Files.readString(process.resolve("cmdline"))
                                    .startsWith("/opt/java/bin/java")) {
                        return Long.parseLong(process.getFileName().toString());
                    }
                } catch (IOException exited) {
                    // gone while listed
                }
            }
        }
        throw new AssertionError("no JVM in container " + containerId);
    }

    /** The largest heap the JVM may use: the sum of its heap pools' maxima, from /q/metrics. */
    private static long heapMaxBytes(int port) throws IOException, InterruptedException {
        String metrics =
                HTTP.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:" + port + "/q/metrics"))
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

    /** Every container's log on the node, as the kubelet keeps them. */
    private static String containerLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(stack.node().orElseThrow().podLogs())) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }
}
