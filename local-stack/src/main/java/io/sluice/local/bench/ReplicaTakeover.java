package io.sluice.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.ownership.Partitioning;
import io.sluice.contracts.source.GitRepository;
import io.sluice.local.GitWorkspace;
import io.sluice.local.LocalStack;
import io.sluice.local.Manifests;
import io.sluice.local.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How long a replica's death costs (issue 15's target: its objects taken over within 15 s), with
 * two replicas of each service and Kafka sessions of their default length (10 s). One GitRepository
 * and one Kustomization of two ConfigMaps; for each service in turn, the replica that owns them is
 * killed with kill -9 and a commit pushed at once (requestedAt set, as a webhook would); prints the
 * seconds from the kill to the commit applied and to Ready at it, and in apply-service's round also
 * to a drift on the dead replica's object (made right after the kill) corrected. The killed replica
 * is started again, and its partitions awaited, before the next round.
 */
public final class ReplicaTakeover {
    private static final String NS = "takeover";
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    public static void main(String[] args) throws Exception {
        Path repoRoot = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        try (LocalStack stack =
                LocalStack.start(repoRoot, Files.createTempDirectory("sluice-takeover-"))) {
            stack.runServicesAsProcesses(Map.of(), Map.of(), 2);
            KubernetesClient client = stack.client();
            String url = stack.git().create(NS);
            try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
                repo.write("app/pinned.yaml", PINNED);
                String sha = push(repo, 0);
                Manifests.apply(client, Manifests.namespace(NS));
                Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
                Manifests.apply(client, Manifests.kustomizationInto(NS, "app", NS, "./app"));
                awaitReady(client, sha);
                int round = 0;
                for (String service : LocalStack.SERVICES) {
                    round++;
                    ObjectRef object =
                            service.equals("source-service")
                                    ? new ObjectRef("GitRepository", NS, NS)
                                    : new ObjectRef("Kustomization", NS, "app");
                    List<ServiceProcess> replicas = stack.replicas(service);
                    awaitShared(replicas);
                    ServiceProcess owner = ownerOf(replicas, object);
                    owner.kill();
                    Instant killed = Instant.now();
                    boolean drift = service.equals("apply-service");
                    if (drift) {
                        client.configMaps()
                                .inNamespace(NS)
                                .withName("pinned")
                                .edit(
                                        c -> {
                                            c.getData().put("value", "drifted");
                                            return c;
                                        });
                    }
                    String pushed = push(repo, round);
                    Manifests.requestReconcile(client, GitRepository.class, NS, NS);
                    Duration applied = null;
                    Duration corrected = drift ? null : Duration.ZERO;
                    while (applied == null || corrected == null) {
                        if (Instant.now().isAfter(killed.plus(DEADLINE))) {
                            throw new IllegalStateException(service + ": not taken over");
                        }
                        if (applied == null
                                && String.valueOf(round).equals(value(client, "settings"))) {
                            applied = Duration.between(killed, Instant.now());
                        }
                        if (corrected == null && "git".equals(value(client, "pinned"))) {
                            corrected = Duration.between(killed, Instant.now());
                        }
                        Thread.sleep(50);
                    }
                    awaitReady(client, pushed);
                    Duration ready = Duration.between(killed, Instant.now());
                    System.out.printf(
                            "%s (%s killed): applied %.1f s, Ready %.1f s%s after the kill%n",
                            service,
                            owner.name(),
                            applied.toMillis() / 1000.0,
                            ready.toMillis() / 1000.0,
                            drift
                                    ? ", drift corrected %.1f s"
                                            .formatted(corrected.toMillis() / 1000.0)
                                    : "");
                    owner.start();
                    owner.awaitReady(Duration.ofMinutes(2));
                }
            }
        }
    }

    private static final String PINNED =
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pinned}\ndata: {value: git}\n";

    /** Commits and pushes app/settings.yaml with {@code value}; returns the commit. */
    private static String push(GitWorkspace repo, int value) throws Exception {
        return repo.write(
                        "app/settings.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                + "data: {value: \""
                                + value
                                + "\"}\n")
                .commitAndPush("value " + value);
    }

    private static String value(KubernetesClient client, String name) {
        ConfigMap configMap = client.configMaps().inNamespace(NS).withName(name).get();
        return configMap == null ? null : configMap.getData().get("value");
    }

    private static void awaitReady(KubernetesClient client, String sha)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        String revision = "main@sha1:" + sha;
        while (Instant.now().isBefore(deadline)) {
            Kustomization ks =
                    client.resources(Kustomization.class).inNamespace(NS).withName("app").get();
            if (ks != null && BenchApps.readyAt(ks, revision)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not Ready at " + revision + " within " + DEADLINE);
    }

    /** Until every replica owns some partitions (a restarted one has been given its own back). */
    private static void awaitShared(List<ServiceProcess> replicas) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            boolean shared = true;
            for (ServiceProcess replica : replicas) {
                try {
                    shared &= !replica.ownership().path("owned").isEmpty();
                } catch (IOException notAnswering) {
                    shared = false;
                }
            }
            if (shared) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("partitions not shared within " + DEADLINE);
            }
            Thread.sleep(200);
        }
    }

    private static ServiceProcess ownerOf(List<ServiceProcess> replicas, ObjectRef object)
            throws Exception {
        int partition =
                Partitioning.partitionFor(
                        object.key(), replicas.get(0).ownership().path("partitions").asInt());
        for (ServiceProcess replica : replicas) {
            for (JsonNode owned : replica.ownership().path("owned")) {
                if (owned.asInt() == partition) {
                    return replica;
                }
            }
        }
        throw new IllegalStateException("no replica owns " + object.key());
    }
}
