package io.sluice.local;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code deploy/local/up}: starts the local stack, pushes the sample repository to its Git server,
 * applies the root GitRepository and Kustomization, waits until everything is Ready and prints the
 * status, then runs until stopped.
 */
public final class LocalStackMain {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** {@code --replicas N}: processes of each service; 1 unless given. */
    static int replicas(String[] args) {
        List<String> given = List.of(args);
        int at = given.indexOf("--replicas");
        return at >= 0 && at + 1 < given.size() ? Integer.parseInt(given.get(at + 1)) : 1;
    }

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path local = repoRoot.resolve(".local");
        Path runDir = local.resolve("run");
        Launcher.deleteRecursively(runDir);
        Instant started = Instant.now();
        LocalStack stack = LocalStack.start(repoRoot, runDir);
        if (List.of(args).contains("--pods")) {
            stack.runServicesAsPods();
        } else if (replicas(args) > 1) {
            stack.runServicesAsProcesses(Map.of(), Map.of(), replicas(args));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stack.close();
                                    stopped.countDown();
                                }));
        System.out.printf(
                "stack started in %ds (logs in %s)%n",
                Duration.between(started, Instant.now()).toSeconds(), runDir.resolve("logs"));

        String gitUrl = bootstrapSample(stack, repoRoot);

        Files.writeString(
                local.resolve("env"),
                stack.environment() + "GIT_URL=" + gitUrl + "\nGIT_PUSH_URL=" + gitUrl + "\n");
        Files.copy(
                stack.kubeconfig(),
                local.resolve("kubeconfig"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        boolean ready = awaitReady(stack.client());
        String table = statusTable(stack.client());
        System.out.print(table);
        System.out.printf(
                "%s after %ds. Settings: source %s%n",
                ready ? "all Ready" : "NOT all Ready",
                Duration.between(started, Instant.now()).toSeconds(),
                local.resolve("env"));
        Files.writeString(local.resolve(ready ? "ready" : "failed"), table);
        stopped.await();
    }

    /**
     * Pushes deploy/local/sample to the stack's Git server and applies what {@code flux bootstrap}
     * would; returns the URL.
     */
    public static String bootstrapSample(LocalStack stack, Path repoRoot) throws Exception {
        String gitUrl = stack.git().create("sample");
        try (GitWorkspace sample =
                GitWorkspace.init(Files.createTempDirectory("sample-"), gitUrl)) {
            sample.copyFrom(repoRoot.resolve("deploy/local/sample"))
                    .commitAndPush("Sample repository shaped like the user's");
        }
        Manifests.apply(
                stack.client(),
                Files.readString(repoRoot.resolve("deploy/local/root.yaml"))
                        .replace("${GIT_URL}", gitUrl));
        return gitUrl;
    }

    /** Waits (up to 3 minutes) until every GitRepository and Kustomization is Ready. */
    public static boolean awaitReady(KubernetesClient client) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            List<Row> rows = rows(client);
            if (rows.size() >= 4 && rows.stream().allMatch(r -> "True".equals(r.ready))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private record Row(String kind, String name, String revision, String ready, String message) {}

    private static List<Row> rows(KubernetesClient client) {
        List<Row> rows = new ArrayList<>();
        for (GitRepository repo :
                client.resources(GitRepository.class).inAnyNamespace().list().getItems()) {
            String revision =
                    repo.getStatus() == null || repo.getStatus().artifact == null
                            ? ""
                            : repo.getStatus().artifact.revision;
            rows.add(
                    row(
                            "gitrepository",
                            repo,
                            revision,
                            repo.getStatus() == null ? null : repo.getStatus().conditions));
        }
        for (Kustomization ks :
                client.resources(Kustomization.class).inAnyNamespace().list().getItems()) {
            String revision =
                    ks.getStatus() == null || ks.getStatus().lastAppliedRevision == null
                            ? ""
                            : ks.getStatus().lastAppliedRevision;
            rows.add(
                    row(
                            "kustomization",
                            ks,
                            revision,
                            ks.getStatus() == null ? null : ks.getStatus().conditions));
        }
        return rows;
    }

    private static Row row(
            String kind, HasMetadata object, String revision, List<Condition> conditions) {
        var ready = Conditions.find(conditions, Conditions.READY);
        return new Row(
                kind,
                object.getMetadata().getNamespace() + "/" + object.getMetadata().getName(),
                revision,
                ready.map(Condition::getStatus).orElse("Unknown"),
                ready.map(Condition::getMessage).orElse("waiting"));
    }

    /** As {@code flux get all -A} lays it out. */
    public static String statusTable(KubernetesClient client) {
        StringBuilder out =
                new StringBuilder(
                        String.format(
                                "%-14s %-28s %-52s %-6s %s%n",
                                "KIND", "NAME", "REVISION", "READY", "MESSAGE"));
        for (Row r : rows(client)) {
            out.append(
                    String.format(
                            "%-14s %-28s %-52s %-6s %s%n",
                            r.kind, r.name, r.revision, r.ready, r.message));
        }
        return out.toString();
    }
}
