package io.sluice.local.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.local.FluxControllers;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice and Flux side by side on the same machine: K Kustomizations of 4 objects each
 * (ServiceAccount, Service, Deployment, Ingress; wait, prune, postBuild substitution,
 * targetNamespace) from one Git repository, reconciled from cold on a fresh local stack by each
 * engine in turn, and the same objects server-side-applied straight by a concurrent client (the
 * floor: no engine). Each round runs every engine once; prints each run as it ends, then the
 * medians: time to all Ready, objects/s, CPU seconds and peak RSS per process, API requests per
 * client (the API server's audit log), and Flux's time over Sluice's.
 */
public final class VsFlux {
    private static final String NS = BenchApps.NS;
    private static final String TARGET = BenchApps.TARGET;
    private static final Duration DEADLINE = Duration.ofMinutes(20);
    private static final int FLOOR_THREADS = 32;

    /** An engine under test: Sluice, Flux with some flags, or no engine. */
    private record Engine(String label, List<String> fluxFlags) {
        boolean flux() {
            return fluxFlags != null;
        }

        boolean floor() {
            return label.equals("floor");
        }
    }

    private record Run(
            Duration ready,
            Map<String, Double> cpuSeconds,
            Map<String, Long> peakRssMiB,
            Map<String, Long> requests,
            String stages) {}

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        int apps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int controllerQps = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        List<Engine> engines = new ArrayList<>();
        engines.add(new Engine("sluice", null));
        for (String flags : fluxSettings()) {
            engines.add(new Engine("flux " + flags, List.of(flags.split(" "))));
        }
        engines.add(new Engine("floor", null));
        System.out.printf(
                "%d Kustomizations x 4 objects, %d rounds; kube-controller-manager and"
                        + " kube-scheduler at --kube-api-qps %d --kube-api-burst %d; %d kwok nodes%n",
                apps, rounds, controllerQps, controllerQps * 2, nodes(apps));
        Map<Engine, List<Run>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Engine engine : engines) {
                Run run = runOnce(repoRoot, engine, apps, controllerQps);
                results.computeIfAbsent(engine, e -> new ArrayList<>()).add(run);
                System.out.printf(
                        "round %d %-45s %7.1f s %s cpu %s rss %s requests %s %s%n",
                        round,
                        engine.label(),
                        seconds(run.ready()),
                        run.ready().compareTo(DEADLINE) >= 0 ? "(DEADLINE, not all Ready)" : "",
                        run.cpuSeconds(),
                        run.peakRssMiB(),
                        run.requests(),
                        run.stages());
            }
        }
        summarize(results, apps);
    }

    /**
     * Flux's settings to compare: FLUX_SETTINGS, ';'-separated, or --concurrent 20 and 50; {@code
     * none} runs Sluice and the floor only.
     */
    private static List<String> fluxSettings() {
        String settings = System.getenv("FLUX_SETTINGS");
        if ("none".equals(settings)) {
            return List.of();
        }
        return List.of(
                (settings == null || settings.isBlank()
                                ? "--concurrent=20;--concurrent=50 --kube-api-qps=500 --kube-api-burst=1000"
                                : settings)
                        .split(";"));
    }

    private static int nodes(int apps) {
        return apps / 100 + 2; // 110 pods a node
    }

    private static Run runOnce(Path repoRoot, Engine engine, int apps, int controllerQps)
            throws Exception {
        Path dir = Files.createTempDirectory("sluice-vsflux-");
        Path audit = dir.resolve("audit.log");
        try (LocalStack stack =
                LocalStack.start(
                        repoRoot,
                        dir,
                        "--nodes",
                        String.valueOf(nodes(apps)),
                        "--controller-qps",
                        String.valueOf(controllerQps),
                        "--audit-log",
                        audit.toString())) {
            KubernetesClient client = stack.client();
            Map<String, Long> processes = new LinkedHashMap<>();
            FluxControllers flux = null;
            if (engine.flux() || engine.floor()) {
                stack.stopServices();
            } else {
                for (String service : LocalStack.SERVICES) {
                    processes.put(service, stack.service(service).pid());
                }
                processes.putAll(ProcessFigures.recorded(dir.resolve("kafka")));
            }
            if (engine.flux()) {
                flux =
                        FluxControllers.start(
                                repoRoot,
                                dir.resolve("flux"),
                                stack.kubeconfig(),
                                client,
                                NS,
                                List.of("source-controller", "kustomize-controller"),
                                engine.fluxFlags());
                processes.putAll(ProcessFigures.recorded(dir.resolve("flux")));
            }
            processes.put(
                    "kube-apiserver",
                    ProcessFigures.recorded(dir.resolve("controlplane")).get("kube-apiserver"));
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.namespace(TARGET));
            Map<String, Double> cpuBefore = new LinkedHashMap<>();
            processes.forEach((name, pid) -> cpuBefore.put(name, ProcessFigures.cpuSeconds(pid)));
            Map<String, Long> requestsBefore = AuditCounts.byClient(audit);
            Instant start = Instant.now();
            if (engine.floor()) {
                applyStraight(client, apps);
                BenchApps.awaitAll(
                        client.apps().deployments().inNamespace(TARGET).runnableInformer(0),
                        apps,
                        VsFlux::available,
                        DEADLINE);
            } else {
                String sha;
                try (BenchApps.Pushed pushed = BenchApps.pushRepository(stack, apps)) {
                    sha = pushed.sha();
                }
                SharedIndexInformer<Kustomization> informer =
                        client.resources(Kustomization.class).inNamespace(NS).runnableInformer(0);
                BenchApps.createKustomizations(client, apps);
                BenchApps.awaitAll(
                        informer, apps, k -> BenchApps.readyAt(k, "main@sha1:" + sha), DEADLINE);
            }
            Duration ready = Duration.between(start, Instant.now());
            Map<String, Double> cpu = new LinkedHashMap<>();
            Map<String, Long> rss = new LinkedHashMap<>();
            processes.forEach(
                    (name, pid) -> {
                        cpu.put(
                                name,
                                Math.round(
                                                (ProcessFigures.cpuSeconds(pid)
                                                                - cpuBefore.get(name))
                                                        * 10)
                                        / 10.0);
                        rss.put(name, ProcessFigures.peakRssMiB(pid));
                    });
            Map<String, Long> requests = new LinkedHashMap<>();
            AuditCounts.byClient(audit)
                    .forEach(
                            (who, count) -> {
                                long during = count - requestsBefore.getOrDefault(who, 0L);
                                if (engineClient(engine, who) && during > 0) {
                                    requests.put(who, during);
                                }
                            });
            if (flux != null) {
                flux.close();
            }
            String stages =
                    engine.flux() || engine.floor()
                            ? ""
                            : StageTimes.of(dir.resolve("logs"), start);
            return new Run(ready, cpu, rss, requests, stages);
        } finally {
            BenchApps.deleteQuietly(dir);
        }
    }

    /** The API clients that are the engine (the floor's is the benchmark's own fabric8 client). */
    private static boolean engineClient(Engine engine, String client) {
        if (engine.flux()) {
            return client.endsWith("-controller") && !client.startsWith("kube-");
        }
        if (engine.floor()) {
            return client.startsWith("fabric8");
        }
        return LocalStack.SERVICES.contains(client);
    }

    /** The floor: every object server-side-applied by a tight concurrent client, no engine. */
    private static void applyStraight(KubernetesClient client, int apps) throws Exception {
        BenchApps.inParallel(
                apps,
                FLOOR_THREADS,
                i -> {
                    for (HasMetadata object :
                            client.load(
                                            new java.io.ByteArrayInputStream(
                                                    BenchApps.objects(BenchApps.app(i))
                                                            .getBytes(
                                                                    java.nio.charset
                                                                            .StandardCharsets
                                                                            .UTF_8)))
                                    .items()) {
                        client.resource(object)
                                .inNamespace(TARGET)
                                .fieldManager("floor")
                                .forceConflicts()
                                .serverSideApply();
                    }
                });
    }

    private static boolean available(Deployment d) {
        return d.getStatus() != null
                && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                && d.getStatus().getConditions() != null
                && d.getStatus().getConditions().stream()
                        .anyMatch(
                                c ->
                                        "Available".equals(c.getType())
                                                && "True".equals(c.getStatus()));
    }

    private static void summarize(Map<Engine, List<Run>> results, int apps) {
        System.out.println();
        System.out.println("medians:");
        Map<Engine, Double> times = new LinkedHashMap<>();
        results.forEach(
                (engine, runs) -> {
                    double time = median(runs.stream().map(r -> seconds(r.ready())).toList());
                    times.put(engine, time);
                    System.out.printf(
                            "%-45s %7.1f s %7.1f objects/s  API requests %,d%n",
                            engine.label(),
                            time,
                            apps * 4 / time,
                            Math.round(
                                    median(
                                            runs.stream()
                                                    .map(
                                                            r ->
                                                                    (double)
                                                                            r
                                                                                    .requests()
                                                                                    .values()
                                                                                    .stream()
                                                                                    .mapToLong(
                                                                                            Long
                                                                                                    ::longValue)
                                                                                    .sum())
                                                    .toList())));
                    for (String process : runs.get(0).cpuSeconds().keySet()) {
                        System.out.printf(
                                "    %-22s cpu %6.1f s  peak RSS %5d MiB%n",
                                process,
                                median(
                                        runs.stream()
                                                .map(r -> r.cpuSeconds().get(process))
                                                .toList()),
                                Math.round(
                                        median(
                                                runs.stream()
                                                        .map(
                                                                r ->
                                                                        (double)
                                                                                r.peakRssMiB()
                                                                                        .get(
                                                                                                process))
                                                        .toList())));
                    }
                });
        double sluice =
                times.entrySet().stream()
                        .filter(e -> e.getKey().label().equals("sluice"))
                        .findFirst()
                        .orElseThrow()
                        .getValue();
        times.entrySet().stream()
                .filter(e -> e.getKey().flux())
                .mapToDouble(Map.Entry::getValue)
                .min()
                .ifPresent(
                        bestFlux ->
                                System.out.printf(
                                        "Flux's best median over Sluice's: %.2fx (%.1f s / %.1f"
                                                + " s)%n",
                                        bestFlux / sluice, bestFlux, sluice));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
