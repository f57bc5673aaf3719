package io.sluice.local.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.local.GitWorkspace;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import io.sluice.local.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice at scale on the local stack: one repository holding K apps of 5 objects each (ConfigMap,
 * Secret, ServiceAccount, Service, Deployment) and K Kustomizations (wait: true) applied at once;
 * prints the time from the first Kustomization created to all Ready at the pushed revision, the
 * objects applied per second, and each service's peak resident memory (VmHWM). With {@code
 * --replicas N}, N replicas of each service share the work (their peaks printed one by one).
 */
public final class ApplyAtScale {
    private static final String NS = "flux-system";
    private static final Duration DEADLINE = Duration.ofMinutes(20);

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int apps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int replicas = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Instant coldStart = Instant.now();
        try (LocalStack stack =
                LocalStack.start(repoRoot, Files.createTempDirectory("sluice-scale-"))) {
            if (replicas > 1) {
                stack.runServicesAsProcesses(Map.of(), Map.of(), replicas);
            }
            Duration stackStart = Duration.between(coldStart, Instant.now());
            KubernetesClient client = stack.client();
            String url = stack.git().create("scale");
            String sha;
            try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("scale"), url)) {
                for (int i = 0; i < apps; i++) {
                    repo.write(
                            "apps/app-%03d/objects.yaml".formatted(i),
                            objects("app-%03d".formatted(i)));
                }
                sha = repo.commitAndPush(apps + " apps");
            }
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.namespace("scale"));
            Manifests.apply(client, Manifests.gitRepository(NS, "scale", url, "10m"));
            Instant start = Instant.now();
            for (int i = 0; i < apps; i++) {
                Manifests.apply(
                        client,
                        Manifests.kustomization(
                                NS,
                                "app-%03d".formatted(i),
                                "scale",
                                "./apps/app-%03d".formatted(i)));
            }
            Duration created = Duration.between(start, Instant.now());
            long ready = 0;
            while (Instant.now().isBefore(start.plus(DEADLINE))) {
                ready =
                        client
                                .resources(Kustomization.class)
                                .inNamespace(NS)
                                .list()
                                .getItems()
                                .stream()
                                .filter(
                                        k ->
                                                k.getStatus() != null
                                                        && ("main@sha1:" + sha)
                                                                .equals(
                                                                        k.getStatus()
                                                                                .lastAppliedRevision)
                                                        && Conditions.isTrue(
                                                                k.getStatus().conditions,
                                                                Conditions.READY))
                                .count();
                if (ready >= apps) {
                    break;
                }
                Thread.sleep(250);
            }
            Duration wall = Duration.between(start, Instant.now());
            Map<String, Long> peaks = new LinkedHashMap<>();
            for (String service : LocalStack.SERVICES) {
                List<ServiceProcess> processes =
                        replicas > 1 ? stack.replicas(service) : List.of(stack.service(service));
                for (int i = 0; i < processes.size(); i++) {
                    peaks.put(
                            replicas > 1 ? service + "-" + i : service,
                            ProcessFigures.peakRssMiB(processes.get(i).pid()));
                }
            }
            System.out.printf("stack cold start: %.1f s%n", stackStart.toMillis() / 1000.0);
            System.out.printf("replicas of each service: %d%n", replicas);
            System.out.printf(
                    "%d Kustomizations created in %.1f s%n", apps, created.toMillis() / 1000.0);
            System.out.printf(
                    "%d of %d Kustomizations Ready (%d objects) in %.1f s: %.1f objects/s%n",
                    ready,
                    apps,
                    apps * 5,
                    wall.toMillis() / 1000.0,
                    apps * 5 * 1000.0 / wall.toMillis());
            peaks.forEach(
                    (service, mib) -> System.out.printf("peak RSS %-17s %d MiB%n", service, mib));
            if (ready < apps) {
                System.exit(1);
            }
        }
    }

    private static String objects(String name) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %1$s, namespace: scale}
                data: {greeting: hello}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: %1$s, namespace: scale}
                stringData: {token: not-a-real-token}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %1$s, namespace: scale}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: scale}
                spec:
                  selector: {app: %1$s}
                  ports: [{port: 80, targetPort: 9898}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: scale}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      serviceAccountName: %1$s
                      containers: [{name: app, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                """
                .formatted(name);
    }
}
