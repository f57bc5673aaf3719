package io.sluice.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole embedded stack on one machine: a real control plane, a real Kafka broker, a Git server
 * over smart HTTP, Sluice's CRDs, and the four services as processes. {@code deploy/local/up} and
 * the system tests both start it here.
 */
public final class LocalStack implements AutoCloseable {
    public static final List<String> SERVICES =
            List.of("source-service", "render-service", "apply-service", "health-service");

    private final Path repoRoot;
    private final Path runDir;
    private final ControlPlane controlPlane;
    private ControlPlane secondControlPlane;
    private LocalNode node;

    /** Whether the chart's release is installed (by {@link #runServicesAsPods()}). */
    private boolean released;

    private final KafkaBroker kafka;
    private final GitServer git;
    private final ChartRepositoryServer charts;
    private OciRegistry registry;
    private Jaeger jaeger;
    private final KubernetesClient client;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    /** Each process's {@code SLUICE_INSTANCE}, by its name. */
    private final Map<String, String> instances = new LinkedHashMap<>();

    /**
     * Each process's port, kept when the services are restarted so the artifact URLs source-service
     * announced stay good.
     */
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private final String adminToken = java.util.UUID.randomUUID().toString();

    /** What every service process is given, and each service's kubeconfig (its account's). */
    private Map<String, String> processEnv;

    private Map<String, Path> accounts;

    private LocalStack(
            Path repoRoot, Path runDir, ControlPlane controlPlane, KafkaBroker kafka, GitServer git)
            throws IOException {
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.controlPlane = controlPlane;
        this.kafka = kafka;
        this.git = git;
        this.client = controlPlane.client();
        Path fixtureCharts = repoRoot.resolve("../shared/fixtures/charts").normalize();
        this.charts =
                Files.isDirectory(fixtureCharts) ? new ChartRepositoryServer(fixtureCharts) : null;
    }

    public static LocalStack start(Path repoRoot, Path runDir) throws Exception {
        return start(repoRoot, runDir, new String[0]);
    }

    /**
     * As {@link #start(Path, Path)}, with options for the control plane's start script (the
     * benchmarks' node count, controller client rate and audit log).
     */
    public static LocalStack start(Path repoRoot, Path runDir, String... controlPlaneOptions)
            throws Exception {
        Files.createDirectories(runDir.resolve("logs"));
        // The two slow starts run side by side.
        CompletableFuture<KafkaBroker> kafka =
                CompletableFuture.supplyAsync(
                        () ->
                                unchecked(
                                        () ->
                                                KafkaBroker.start(
                                                        repoRoot, runDir.resolve("kafka"))));
        ControlPlane controlPlane;
        try {
            controlPlane =
                    ControlPlane.start(
                            repoRoot, runDir.resolve("controlplane"), controlPlaneOptions);
        } catch (Exception e) {
            kafka.thenAccept(KafkaBroker::close);
            throw e;
        }
        LocalStack stack =
                new LocalStack(
                        repoRoot,
                        runDir,
                        controlPlane,
                        join(kafka, controlPlane),
                        new GitServer(runDir.resolve("git")));
        try {
            stack.registry = OciRegistry.start(repoRoot, runDir.resolve("registry"));
            stack.jaeger = Jaeger.start(repoRoot, runDir.resolve("jaeger"));
            stack.installCrds();
            // Sluice's own namespace (where Flux ran), for the key that seals rendered bundles
            Manifests.apply(stack.client(), Manifests.namespace(SLUICE_NAMESPACE));
            stack.startServices();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    static final String SLUICE_NAMESPACE = "flux-system";

    private static KafkaBroker join(CompletableFuture<KafkaBroker> kafka, ControlPlane controlPlane)
            throws Exception {
        try {
            return kafka.join();
        } catch (RuntimeException e) {
            controlPlane.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void installCrds() throws IOException, InterruptedException {
        // Flux's own CRDs, labelled as `flux install` labels them (deploy/crds/fetch takes them
        // from the controllers' Go modules)
        try (Stream<Path> files =
                Files.list(Path.of(Launcher.output(repoRoot.resolve("deploy/crds/fetch"))))) {
            for (Path crd :
                    files.filter(
                                    f ->
                                            f.toString().endsWith(".yml")
                                                    || f.toString().endsWith(".yaml"))
                            .sorted()
                            .toList()) {
                try (var in = Files.newInputStream(crd)) {
                    client.load(in)
                            .items()
                            .forEach(
                                    c ->
                                            client.resource(c)
                                                    .fieldManager("sluice-local")
                                                    .forceConflicts()
                                                    .serverSideApply());
                }
            }
        }
        for (var crd : client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            awaitEstablished(client, crd.getMetadata().getName());
        }
    }

    /** Waits until the API server serves a CRD (a new CRD has no conditions at first). */
    public static void awaitEstablished(KubernetesClient client, String crdName) {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crdName)
                .waitUntilCondition(
                        c ->
                                c != null
                                        && c.getStatus() != null
                                        && c.getStatus().getConditions() != null
                                        && c.getStatus().getConditions().stream()
                                                .anyMatch(
                                                        x ->
                                                                "Established".equals(x.getType())
                                                                        && "True"
                                                                                .equals(
                                                                                        x
                                                                                                .getStatus())),
                        30,
                        java.util.concurrent.TimeUnit.SECONDS);
    }

    /** What {@link #runServicesAsProcesses(Map)} adds to the services' environment. */
    private Map<String, String> serviceSettings = Map.of();

    private Map<String, Map<String, String>> ownSettings = Map.of();

    /** Processes of each service. */
    private int replicas = 1;

    private void startServices() throws Exception {
        createProcesses();
        watchServices();
        startAll();
    }

    /** The services as processes ({@code java -jar}), each as its chart ServiceAccount. */
    private void createProcesses() throws Exception {
        processEnv =
                Map.of(
                        "KUBECONFIG",
                        controlPlane.kubeconfig().toString(),
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "SLUICE_ADMIN_TOKEN",
                        adminToken,
                        "QUARKUS_OTEL_SDK_DISABLED",
                        "false",
                        "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                        jaeger.otlpEndpoint(),
                        // spans reach Jaeger within a second, not the default five
                        "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
                        "1s");
        accounts =
                ChartAccounts.install(
                        repoRoot,
                        client,
                        controlPlane.kubeconfig(),
                        SLUICE_NAMESPACE,
                        runDir.resolve("accounts"));
        services.clear();
        instances.clear();
        for (String name : SERVICES) {
            for (int replica = 0; replica < replicas; replica++) {
                createProcess(name, replica);
            }
        }
    }

    private ServiceProcess createProcess(String name, int replica)
            throws IOException, InterruptedException {
        Path jar = repoRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(
                    jar + " is missing: build with ./mvnw -B package -DskipTests first");
        }
        String instance = instanceName(name, replica);
        Map<String, String> serviceEnv = new LinkedHashMap<>(processEnv);
        // as the chart's ServiceAccount, with exactly the RBAC the chart grants
        serviceEnv.put("KUBECONFIG", accounts.get(name).toString());
        serviceEnv.put("SLUICE_DATA_DIR", runDir.resolve("data").resolve(instance).toString());
        // its name in the consumer groups (static membership), as a StatefulSet pod's
        instances.put(instance, name + "-" + replica);
        serviceEnv.put("SLUICE_INSTANCE", instances.get(instance));
        serviceEnv.put("SLUICE_REPLICAS", String.valueOf(replicas));
        serviceEnv.putAll(serviceSettings);
        serviceEnv.putAll(ownSettings.getOrDefault(name, Map.of()));
        ServiceProcess process =
                new ServiceProcess(
                        instance,
                        jar,
                        ports.computeIfAbsent(instance, unused -> freePort()),
                        serviceEnv,
                        runDir.resolve("logs").resolve(instance + ".log"),
                        pids());
        if (name.equals("render-service")) {
            process.environment(
                    "SLUICE_KUSTOMIZE",
                    Launcher.output(repoRoot.resolve("deploy/local/kustomize/build")));
            process.environment(
                    "SLUICE_HELM", Launcher.output(repoRoot.resolve("deploy/local/helm/build")));
            process.environment(
                    "SLUICE_SOPS", Launcher.output(repoRoot.resolve("deploy/local/sops/build")));
        }
        if (name.equals("source-service")) {
            process.environment("SLUICE_ARTIFACT_BASE_URL", process.url());
        }
        services.put(instance, process);
        return process;
    }

    /**
     * One more replica of a running service ({@code <service>-<n>}, as a scaled-up chart's),
     * started and ready: its group gives it partitions of the others, as a rebalance on a scale-up
     * does.
     */
    public ServiceProcess addReplica(String name) throws Exception {
        return addReplica(name, Map.of());
    }

    /** As {@link #addReplica(String)}, with {@code settings} added to its environment. */
    public ServiceProcess addReplica(String name, Map<String, String> settings) throws Exception {
        ServiceProcess process = createProcess(name, replicas(name).size());
        settings.forEach(process::environment);
        process.start();
        process.awaitReady(Duration.ofSeconds(90));
        return process;
    }

    /**
     * Stops the last replica of a service, and takes it out of its consumer groups at once, as a
     * chart scaled down (the stack removes gone static members: {@link StaticMembers}).
     */
    public void removeLastReplica(String name) throws Exception {
        int last = replicas(name).size() - 1;
        if (last < 1) {
            throw new IllegalStateException(name + " has one replica: it is not removed");
        }
        String instance = instanceName(name, last);
        services.remove(instance).stop();
        StaticMembers.remove(kafka.bootstrapServers(), List.of(instances.remove(instance)));
    }

    /** The first replica is named as its service, the others {@code <service>-<n>}. */
    private static String instanceName(String service, int replica) {
        return replica == 0 ? service : service + "-" + replica;
    }

    /**
     * Stops the service processes and installs Sluice with its Helm chart instead, onto a real node
     * (started on first use) holding the images of deploy/images/build, with the values this
     * machine needs: where Kafka and Jaeger are, the stack's admin token, and source-service's own
     * port for artifacts (a cluster's Service would be at http://source-service). Returns once
     * every Deployment is Available. {@link #runServicesAsProcesses()} goes back.
     */
    public void runServicesAsPods() throws Exception {
        stopServices();
        services.clear();
        instances.clear();
        if (node == null) {
            List<Path> images = new ArrayList<>();
            for (String name : SERVICES) {
                images.add(repoRoot.resolve("target/images").resolve(name + ".tar"));
            }
            node = LocalNode.start(repoRoot, runDir.resolve("node"), kubeconfig(), client, images);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("kafka.bootstrapServers", kafka.bootstrapServers());
        values.put("otel.endpoint", jaeger.otlpEndpoint());
        values.put("source-service.app.envs.SLUICE_ADMIN_TOKEN", adminToken);
        values.put("source-service.app.envs.SLUICE_ARTIFACT_BASE_URL", "http://127.0.0.1:8081");
        released = true;
        SluiceRelease.install(
                repoRoot,
                kubeconfig(),
                SLUICE_NAMESPACE,
                values,
                java.net.URI.create(client.getConfiguration().getMasterUrl()).getPort());
    }

    /** The real node, once {@link #runServicesAsPods()} has started it. */
    public java.util.Optional<LocalNode> node() {
        return java.util.Optional.ofNullable(node);
    }

    /**
     * Uninstalls the chart's release if there is one, stops the services, and starts them as
     * processes again.
     */
    public void runServicesAsProcesses() throws Exception {
        runServicesAsProcesses(Map.of());
    }

    /**
     * As {@link #runServicesAsProcesses()}, each service with {@code settings} added to its
     * environment (until the next restart), as a chart's {@code app.envs} values would add them.
     */
    public void runServicesAsProcesses(Map<String, String> settings) throws Exception {
        runServicesAsProcesses(settings, Map.of());
    }

    /**
     * As {@link #runServicesAsProcesses(Map)}, each service also with its own settings ({@code
     * own}, by service name), as a chart's per-service values would add them.
     */
    public void runServicesAsProcesses(
            Map<String, String> settings, Map<String, Map<String, String>> own) throws Exception {
        runServicesAsProcesses(settings, own, 1);
    }

    /**
     * As {@link #runServicesAsProcesses(Map, Map)}, with {@code replicas} processes of each service
     * (until the next restart), each its own instance in the consumer groups, with its own port and
     * data directory: {@link #replicas(String)}.
     */
    public void runServicesAsProcesses(
            Map<String, String> settings, Map<String, Map<String, String>> own, int replicas)
            throws Exception {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, not " + replicas);
        }
        this.replicas = replicas;
        serviceSettings = Map.copyOf(settings);
        ownSettings = Map.copyOf(own);
        stopServices();
        if (released) {
            SluiceRelease.uninstall(repoRoot, kubeconfig(), SLUICE_NAMESPACE);
            released = false;
            // helm waits for the Deployments, not their pods, which would share the Kafka groups
            client.pods()
                    .inNamespace(SLUICE_NAMESPACE)
                    .withLabel("app.kubernetes.io/part-of", "flux")
                    .informOnCondition(List::isEmpty)
                    .get(2, java.util.concurrent.TimeUnit.MINUTES);
        }
        createProcesses();
        startAll();
    }

    private void startAll() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.start();
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(Duration.ofSeconds(90));
        }
    }

    /**
     * Stops the service processes (a chart's release stays); {@link #runServicesAsProcesses()}
     * starts them.
     */
    public void stopServices() throws InterruptedException {
        stopProcesses();
        try {
            StaticMembers.remove(kafka.bootstrapServers(), instances.values());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            System.err.println(
                    "stopped services stay in their consumer groups until their sessions expire: "
                            + e);
        }
    }

    private void stopProcesses() throws InterruptedException {
        // all signalled first: each closes its Kafka consumers one after another (seconds), and
        // the services need not wait for each other
        for (ServiceProcess service : services.values()) {
            service.signalStop();
        }
        for (ServiceProcess service : services.values()) {
            service.stop();
        }
    }

    private static int freePort() {
        try {
            return ServiceProcess.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path pids() throws IOException {
        return Files.createDirectories(runDir.resolve("services")).resolve("pids");
    }

    /**
     * A watchdog stops the services (their pids are in services/pids, also after a restart) if this
     * JVM dies without closing the stack (a killed test run), as the control plane's and Kafka's
     * own watchdogs do.
     */
    private void watchServices() throws IOException {
        Path dir = runDir.resolve("services");
        Process watchdog =
                new ProcessBuilder(
                                "setsid",
                                "bash",
                                "-c",
                                "while kill -0 \"$1\" 2>/dev/null; do sleep 2; done; \"$2\" \"$3\"",
                                "watchdog",
                                String.valueOf(ProcessHandle.current().pid()),
                                repoRoot.resolve("deploy/local/stop-processes").toString(),
                                dir.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        Files.writeString(dir.resolve("watchdog.pid"), String.valueOf(watchdog.pid()));
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The OCI registry on loopback (plain HTTP), for OCIRepositories and OCI charts. */
    public OciRegistry registry() {
        return registry;
    }

    /** Jaeger on loopback, holding the services' traces. */
    public Jaeger jaeger() {
        return jaeger;
    }

    /** The Sluice repository the stack runs from ({@code ../shared} is beside it). */
    public Path repoRoot() {
        return repoRoot;
    }

    public GitServer git() {
        return git;
    }

    /**
     * The local chart repository serving the fixture charts, when shared/fixtures is beside the
     * repository.
     */
    public java.util.Optional<ChartRepositoryServer> charts() {
        return java.util.Optional.ofNullable(charts);
    }

    /** The service's first replica. */
    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Every replica of the service, the first first. */
    public List<ServiceProcess> replicas(String name) {
        List<ServiceProcess> replicas = new ArrayList<>();
        for (int replica = 0; services.containsKey(instanceName(name, replica)); replica++) {
            replicas.add(services.get(instanceName(name, replica)));
        }
        return replicas;
    }

    /** The bearer token the services' admin writes require. */
    public String adminToken() {
        return adminToken;
    }

    /**
     * A second, separate control plane (started on first use, stopped with the stack): the remote
     * cluster a {@code spec.kubeConfig} points at.
     */
    public synchronized ControlPlane secondControlPlane() throws IOException, InterruptedException {
        if (secondControlPlane == null) {
            secondControlPlane = ControlPlane.start(repoRoot, runDir.resolve("controlplane-2"));
        }
        return secondControlPlane;
    }

    public Path runDir() {
        return runDir;
    }

    /** Shell-sourceable settings for people and scripts that use the running stack. */
    public String environment() {
        List<String> lines = new ArrayList<>();
        lines.add("KUBECONFIG=" + kubeconfig());
        lines.add("KAFKA_BOOTSTRAP_SERVERS=" + kafkaBootstrapServers());
        lines.add("SLUICE_ADMIN_TOKEN=" + adminToken);
        services.forEach(
                (name, service) ->
                        lines.add(name.toUpperCase().replace('-', '_') + "_URL=" + service.url()));
        charts().ifPresent(repository -> lines.add("HELM_REPOSITORY_URL=" + repository.url()));
        lines.add("OCI_REGISTRY=" + registry.host());
        lines.add("JAEGER_URL=" + jaeger.url());
        lines.add("SLUICE_LOG_DIR=" + runDir.resolve("logs"));
        return String.join("\n", lines) + "\n";
    }

    @Override
    public void close() {
        try {
            stopProcesses();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (node != null) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("node: " + e.getMessage());
            }
        }
        Launcher.stop(repoRoot, runDir.resolve("services"));
        client.close();
        if (secondControlPlane != null) {
            secondControlPlane.close();
        }
        try {
            git.close();
        } catch (Exception e) {
            System.err.println("git server: " + e.getMessage());
        }
        charts().ifPresent(ChartRepositoryServer::close);
        if (registry != null) {
            registry.close();
        }
        if (jaeger != null) {
            jaeger.close();
        }
        kafka.close();
        controlPlane.close();
    }

    private interface Start<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Start<T> start) {
        try {
            return start.get();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
