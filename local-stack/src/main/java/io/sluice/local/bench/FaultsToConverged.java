package io.sluice.local.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import io.sluice.local.ConsumerOffsets;
import io.sluice.local.GitWorkspace;
import io.sluice.local.HelmStorage;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import io.sluice.local.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Kill-and-restart faults on the local stack, each in its own namespace: one service killed with
 * {@code kill -9} at a bad moment, then started again, and no commit afterwards. Prints one line
 * per scenario: whether everything converged, how many seconds after the kill, how many objects
 * that should exist do not, and how many objects Sluice owns were deleted although nothing asked
 * for it.
 */
public final class FaultsToConverged {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private record Outcome(
            String scenario, boolean converged, double seconds, int lost, int wrongDeletions) {}

    private interface Scenario {
        Outcome run() throws Exception;
    }

    private final LocalStack stack;
    private final KubernetesClient client;
    private final String charts;

    private FaultsToConverged(LocalStack stack) {
        this.stack = stack;
        this.client = stack.client();
        this.charts =
                stack.charts()
                        .orElseThrow(
                                () -> new IllegalStateException("shared/fixtures/charts not found"))
                        .url();
    }

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        try (LocalStack stack =
                LocalStack.start(repoRoot, Files.createTempDirectory("sluice-faults-"))) {
            FaultsToConverged bench = new FaultsToConverged(stack);
            Map<String, Scenario> all = new java.util.LinkedHashMap<>();
            all.put("applyKilledDuringHookWait", bench::applyKilledDuringHookWait);
            all.put("healthKilledDuringWait", bench::healthKilledDuringWait);
            all.put("healthKilledDuringReleaseWait", bench::healthKilledDuringReleaseWait);
            all.put("renderKilledAfterPush", bench::renderKilledAfterPush);
            all.put("sourceKilledAfterPush", bench::sourceKilledAfterPush);
            all.put("scaledWhileApplyDown", bench::scaledWhileApplyDown);
            all.put("heldDependentAcrossApplyRestart", bench::heldDependentAcrossApplyRestart);
            all.put("failedUpgradeAfterApplyRestart", bench::failedUpgradeAfterApplyRestart);
            // scenarios named after the repository root run alone (all by default)
            List<String> chosen = List.of(args).subList(Math.min(1, args.length), args.length);
            List<Scenario> scenarios =
                    all.entrySet().stream()
                            .filter(e -> chosen.isEmpty() || chosen.contains(e.getKey()))
                            .map(Map.Entry::getValue)
                            .toList();
            List<Outcome> outcomes = new ArrayList<>();
            for (Scenario scenario : scenarios) {
                outcomes.add(scenario.run());
                Outcome last = outcomes.get(outcomes.size() - 1);
                System.out.printf("  ran: %s%n", last.scenario());
            }
            System.out.printf(
                    "%n%-62s %-9s %8s %5s %16s%n",
                    "scenario", "converged", "seconds", "lost", "wrong deletions");
            for (Outcome o : outcomes) {
                System.out.printf(
                        "%-62s %-9s %8.1f %5d %16d%n",
                        o.scenario(),
                        o.converged() ? "yes" : "NO",
                        o.seconds(),
                        o.lost(),
                        o.wrongDeletions());
            }
        }
    }

    /**
     * A HelmRelease whose pre-install hook Job cannot start until a node is labelled; apply-service
     * is killed while it waits.
     */
    private Outcome applyKilledDuringHookWait() throws Exception {
        String ns =
                gatedChart(
                        "faults-hook",
                        "hook.yaml",
                        """
                        apiVersion: batch/v1
                        kind: Job
                        metadata:
                          name: gated-migrate
                          annotations: {helm.sh/hook: pre-install}
                        spec:
                          template:
                            spec:
                              restartPolicy: Never
                              nodeSelector: {faults-gate: open}
                              containers: [{name: migrate, image: busybox}]
                        """);
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Manifests.apply(client, gatedRelease(ns));
        await(
                () ->
                        client.batch().v1().jobs().inNamespace(ns).withName("gated-migrate").get()
                                != null);
        Instant fault = kill("apply-service");
        start("apply-service");
        label("faults-gate", "open");
        boolean converged =
                await(
                        () ->
                                ready(HelmRelease.class, ns, "gated")
                                        && "deployed"
                                                .equals(
                                                        HelmStorage.latestStatus(
                                                                client, ns, "gated")));
        return outcome(
                "apply-service killed during a pre-install hook wait",
                converged,
                fault,
                missing(ns, "ConfigMap", "gated-settings"),
                deletions);
    }

    /**
     * A HelmRelease whose Deployment cannot be scheduled until a node is labelled; health-service
     * is killed while it waits, once it has committed the record that asked for the wait.
     */
    private Outcome healthKilledDuringReleaseWait() throws Exception {
        String ns =
                gatedChart(
                        "faults-release-wait",
                        "web.yaml",
                        deployment("faults-release-wait", "web", "{faults-release-gate: open}"));
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Manifests.apply(client, gatedRelease(ns));
        boolean judging =
                ConsumerOffsets.awaitCommittedPast(
                        stack.kafkaBootstrapServers(),
                        Topics.APPLIED,
                        "health-service",
                        r -> r.value().contains("\"revision\":\"" + ns + "/gated.v1\""),
                        DEADLINE);
        Instant fault = kill("health-service");
        start("health-service");
        label("faults-release-gate", "open");
        boolean converged =
                judging
                        && await(
                                () ->
                                        ready(HelmRelease.class, ns, "gated")
                                                && "deployed"
                                                        .equals(
                                                                HelmStorage.latestStatus(
                                                                        client, ns, "gated")));
        if (!converged) {
            System.out.printf(
                    "  not converged: judging %s, latest revision %s, Ready %s%n",
                    judging,
                    HelmStorage.latestStatus(client, ns, "gated"),
                    condition(HelmRelease.class, ns, "gated")
                            .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                            .orElse("none"));
        }
        return outcome(
                "health-service killed during a HelmRelease's wait",
                converged,
                fault,
                missing(ns, "Deployment", "web"),
                deletions);
    }

    /**
     * A namespace with a GitRepository {@code charts} holding the chart {@code gated}: a ConfigMap
     * and {@code template}.
     */
    private String gatedChart(String ns, String templateFile, String template) throws Exception {
        namespace(ns);
        String url = stack.git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            repo.write("charts/gated/Chart.yaml", "apiVersion: v2\nname: gated\nversion: 1.0.0\n")
                    .write(
                            "charts/gated/templates/settings.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gated-settings}\ndata: {a: b}\n")
                    .write("charts/gated/templates/" + templateFile, template)
                    .commitAndPush("a chart that waits");
        }
        Manifests.apply(client, Manifests.gitRepository(ns, "charts", url, "1h"));
        return ns;
    }

    /** The HelmRelease of the chart {@code gated}: resynced hourly, so no resync heals a fault. */
    private static String gatedRelease(String ns) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: gated, namespace: %s}
                spec:
                  interval: 1h
                  timeout: 10m
                  chart: {spec: {chart: ./charts/gated, sourceRef: {kind: GitRepository, name: charts}}}
                """
                .formatted(ns);
    }

    /**
     * A Kustomization waiting for a Deployment that cannot be scheduled yet; health-service is
     * killed meanwhile.
     */
    private Outcome healthKilledDuringWait() throws Exception {
        String ns = namespace("faults-health");
        String url =
                repository("faults-health", deployment(ns, "web", "{faults-health-gate: open}"));
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Manifests.apply(client, kustomization(ns, "web", url, "15s"));
        await(() -> client.apps().deployments().inNamespace(ns).withName("web").get() != null);
        Instant fault = kill("health-service");
        start("health-service");
        label("faults-health-gate", "open");
        boolean converged = await(() -> ready(Kustomization.class, ns, "web"));
        return outcome(
                "health-service killed during a health wait",
                converged,
                fault,
                missing(ns, "Deployment", "web"),
                deletions);
    }

    /** A new commit is pushed and render-service killed at once. */
    private Outcome renderKilledAfterPush() throws Exception {
        return killedAfterPush("render-service", "faults-render");
    }

    /** A new commit is pushed, its source asked to reconcile, and source-service killed at once. */
    private Outcome sourceKilledAfterPush() throws Exception {
        return killedAfterPush("source-service", "faults-source");
    }

    private Outcome killedAfterPush(String service, String ns) throws Exception {
        namespace(ns);
        String url = stack.git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            repo.write("app/settings.yaml", configMap(ns, "settings", "one")).commitAndPush("one");
            Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
            Manifests.apply(client, kustomization(ns, "app", url, "1h"));
            await(
                    () ->
                            "one".equals(value(ns, "settings"))
                                    && ready(Kustomization.class, ns, "app"));
            DeletionCounter deletions = new DeletionCounter(client, ns);
            String head =
                    repo.write("app/settings.yaml", configMap(ns, "settings", "two"))
                            .commitAndPush("two");
            client.resources(GitRepository.class)
                    .inNamespace(ns)
                    .withName("repo")
                    .edit(
                            r -> {
                                r.getMetadata()
                                        .setAnnotations(Map.of(Annotations.REQUESTED_AT, head));
                                return r;
                            });
            Instant fault = kill(service);
            start(service);
            boolean converged =
                    await(
                            () ->
                                    "two".equals(value(ns, "settings"))
                                            && ready(Kustomization.class, ns, "app"));
            return outcome(
                    service + " killed right after a push",
                    converged,
                    fault,
                    missing(ns, "ConfigMap", "settings"),
                    deletions);
        }
    }

    /** A Deployment scaled by hand while apply-service is down. */
    private Outcome scaledWhileApplyDown() throws Exception {
        String ns = namespace("faults-scaled");
        String url = repository("faults-scaled", deployment(ns, "web", "{}"));
        Manifests.apply(client, kustomization(ns, "web", url, "15s"));
        await(() -> ready(Kustomization.class, ns, "web"));
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Instant fault = kill("apply-service");
        client.apps().deployments().inNamespace(ns).withName("web").scale(3);
        start("apply-service");
        boolean converged = await(() -> replicas(ns, "web") == 1);
        return outcome(
                "Deployment scaled while apply-service was down",
                converged,
                fault,
                missing(ns, "Deployment", "web"),
                deletions);
    }

    /**
     * A dependent held on its dependency when apply-service is killed; the dependency turns Ready
     * after the restart.
     */
    private Outcome heldDependentAcrossApplyRestart() throws Exception {
        String ns = namespace("faults-held");
        String url = repository("faults-held", deployment(ns, "web", "{}"));
        Manifests.apply(
                client,
                kustomization(ns, "base", url, "1h")
                        .replace("./app", "./base")
                        .replace("  wait: true", "  wait: true\n  suspend: true"));
        Manifests.apply(
                client,
                kustomization(ns, "app", url, "15s")
                        .replace("  wait: true", "  wait: true\n  dependsOn: [{name: base}]"));
        await(() -> reason(ns, "app").equals("DependencyNotReady"));
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Instant fault = kill("apply-service");
        start("apply-service");
        client.resources(Kustomization.class)
                .inNamespace(ns)
                .withName("base")
                .edit(
                        k -> {
                            k.getSpec().suspend = false;
                            return k;
                        });
        boolean converged = await(() -> ready(Kustomization.class, ns, "app"));
        return outcome(
                "held dependent across an apply-service restart",
                converged,
                fault,
                missing(ns, "Deployment", "web"),
                deletions);
    }

    /**
     * A release installed, apply-service killed and started, then an upgrade the API server
     * refuses.
     */
    private Outcome failedUpgradeAfterApplyRestart() throws Exception {
        String ns = namespace("faults-upgrade");
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: fixtures, namespace: %s}
                spec: {interval: 1h, url: "%s"}
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 1h
                  chart: {spec: {chart: podinfo, version: "6.9.4", sourceRef: {kind: HelmRepository, name: fixtures}}}
                  install: {remediation: {retries: 1}}
                  upgrade: {remediation: {retries: 1}}
                  values: {replicaCount: 1}
                """
                        .formatted(ns, charts, ns));
        await(
                () ->
                        ready(HelmRelease.class, ns, "podinfo")
                                && "deployed"
                                        .equals(HelmStorage.latestStatus(client, ns, "podinfo")));
        DeletionCounter deletions = new DeletionCounter(client, ns);
        Instant fault = kill("apply-service");
        start("apply-service");
        client.resources(HelmRelease.class)
                .inNamespace(ns)
                .withName("podinfo")
                .edit(
                        r -> {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) r.getSpec().values)
                                    .put("replicaCount", -1);
                            return r;
                        });
        boolean converged =
                await(
                        () ->
                                message(ns, "podinfo")
                                                .contains("Failed to upgrade after 2 attempt(s)")
                                        && "deployed"
                                                .equals(
                                                        HelmStorage.latestStatus(
                                                                client, ns, "podinfo"))
                                        && replicas(ns, "podinfo") == 1);
        return outcome(
                "failed upgrade after an apply-service restart (rolled back)",
                converged,
                fault,
                missing(ns, "Deployment", "podinfo") + missing(ns, "Service", "podinfo"),
                deletions);
    }

    private Outcome outcome(
            String scenario,
            boolean converged,
            Instant fault,
            int lost,
            DeletionCounter deletions) {
        double seconds = Duration.between(fault, Instant.now()).toMillis() / 1000.0;
        deletions.close();
        return new Outcome(scenario, converged, seconds, lost, deletions.count());
    }

    private Instant kill(String service) throws InterruptedException {
        Instant at = Instant.now();
        stack.service(service).kill();
        return at;
    }

    private void start(String service) throws Exception {
        ServiceProcess process = stack.service(service);
        process.start();
        process.awaitReady(Duration.ofSeconds(60));
    }

    private void label(String key, String value) {
        for (Node node : client.nodes().list().getItems()) {
            client.nodes()
                    .withName(node.getMetadata().getName())
                    .edit(
                            n -> {
                                n.getMetadata().getLabels().put(key, value);
                                return n;
                            });
        }
    }

    private String namespace(String ns) {
        Manifests.apply(client, Manifests.namespace(ns));
        return ns;
    }

    private String repository(String name, String manifest) throws Exception {
        String url = stack.git().create(name);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(name), url)) {
            repo.write("app/manifest.yaml", manifest)
                    .write("base/settings.yaml", configMap(name, "base", "ready"))
                    .commitAndPush(name);
        }
        Manifests.apply(client, Manifests.gitRepository(name, "repo", url, "1h"));
        return url;
    }

    private static String kustomization(String ns, String name, String url, String interval) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: %s, namespace: %s}
                spec:
                  interval: %s
                  timeout: 5m
                  path: ./app
                  prune: true
                  wait: true
                  sourceRef: {kind: GitRepository, name: repo}
                """
                .formatted(name, ns, interval);
    }

    private static String deployment(String ns, String name, String nodeSelector) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      nodeSelector: %s
                      containers: [{name: web, image: ghcr.io/stefanprodan/podinfo:6.9.4}]
                """
                .formatted(name, ns, name, name, nodeSelector);
    }

    private static String configMap(String ns, String name, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
                + name
                + ", namespace: "
                + ns
                + "}\ndata: {value: "
                + value
                + "}\n";
    }

    private String value(String ns, String name) {
        var configMap = client.configMaps().inNamespace(ns).withName(name).get();
        return configMap == null || configMap.getData() == null
                ? ""
                : configMap.getData().getOrDefault("value", "");
    }

    private int replicas(String ns, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(ns).withName(name).get();
        return deployment == null ? -1 : deployment.getSpec().getReplicas();
    }

    private int missing(String ns, String kind, String name) {
        HasMetadata object =
                switch (kind) {
                    case "Deployment" ->
                            client.apps().deployments().inNamespace(ns).withName(name).get();
                    case "Service" -> client.services().inNamespace(ns).withName(name).get();
                    default -> client.configMaps().inNamespace(ns).withName(name).get();
                };
        return object == null ? 1 : 0;
    }

    private boolean ready(Class<? extends HasMetadata> type, String ns, String name) {
        return condition(type, ns, name).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private String reason(String ns, String name) {
        return condition(Kustomization.class, ns, name).map(c -> c.getReason()).orElse("");
    }

    private String message(String ns, String name) {
        return condition(HelmRelease.class, ns, name).map(c -> c.getMessage()).orElse("");
    }

    private java.util.Optional<io.fabric8.kubernetes.api.model.Condition> condition(
            Class<? extends HasMetadata> type, String ns, String name) {
        HasMetadata object = client.resources(type).inNamespace(ns).withName(name).get();
        if (object instanceof Kustomization ks && ks.getStatus() != null) {
            return Conditions.find(ks.getStatus().conditions, Conditions.READY);
        }
        if (object instanceof HelmRelease release && release.getStatus() != null) {
            return Conditions.find(release.getStatus().conditions, Conditions.READY);
        }
        return java.util.Optional.empty();
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Deletions of objects Sluice owns in a namespace (labelled by a Kustomization or HelmRelease),
     * from a watch.
     */
    private static final class DeletionCounter implements AutoCloseable {
        private final AtomicInteger deleted = new AtomicInteger();
        private final List<Watch> watches = new ArrayList<>();

        DeletionCounter(KubernetesClient client, String ns) {
            watches.add(client.apps().deployments().inNamespace(ns).watch(counting()));
            watches.add(client.services().inNamespace(ns).watch(counting()));
            watches.add(client.configMaps().inNamespace(ns).watch(counting()));
        }

        private <T extends HasMetadata> Watcher<T> counting() {
            return new Watcher<>() {
                @Override
                public void eventReceived(Action action, T object) {
                    Map<String, String> labels = object.getMetadata().getLabels();
                    boolean owned =
                            labels != null
                                    && (labels.containsKey("kustomize.toolkit.fluxcd.io/name")
                                            || labels.containsKey("helm.toolkit.fluxcd.io/name"));
                    if (action == Action.DELETED && owned) {
                        deleted.incrementAndGet();
                    }
                }

                @Override
                public void onClose(WatcherException cause) {}
            };
        }

        int count() {
            return deleted.get();
        }

        @Override
        public void close() {
            watches.forEach(Watch::close);
        }
    }
}
