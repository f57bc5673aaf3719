package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.ObjectRef;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.ownership.Partitioning;
import io.sluice.contracts.source.Artifact;
import io.sluice.contracts.source.GitRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas of every service ({@code deploy/local/up --replicas 2}): the replicas of each
 * service share the partitions of its ownership topic (each its own, together all), as static
 * members of their consumer groups named by {@code SLUICE_INSTANCE}; one killed and started again
 * within the session timeout gets its own partitions back without a rebalance (with a dynamic
 * member, cooperative-sticky assignment alone gives it the same partitions, but through a rebalance
 * once the dead member's session expired), and the other never takes them meanwhile. The session
 * timeout is 30 s here (on every channel of the groups: one member's expiry rebalances the whole
 * group), not 10, so that a restart on this loaded machine is surely within it.
 */
@ExtendWith(LocalStackExtension.class)
class ReplicasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Map<String, String> OWNERSHIP_TOPICS =
            Map.of(
                    "source-service",
                    "sluice.artifacts.v1",
                    "render-service",
                    "sluice.rendered.v1",
                    "apply-service",
                    "sluice.rendered.v1",
                    "health-service",
                    "sluice.applied.v1");

    @BeforeAll
    static void twoReplicasOfEachService() throws Exception {
        LocalStackExtension.stack()
                .runServicesAsProcesses(
                        Map.of(),
                        Map.of(
                                "source-service",
                                Map.of("SLUICE_OWNERSHIP_SESSION_TIMEOUT_MS", "30000"),
                                "render-service",
                                Map.of(
                                        "SLUICE_OWNERSHIP_SESSION_TIMEOUT_MS",
                                        "30000",
                                        "MP_MESSAGING_INCOMING__SLUICE_ARTIFACTS_V1__SESSION_TIMEOUT_MS",
                                        "30000"),
                                "apply-service",
                                Map.of(
                                        "MP_MESSAGING_INCOMING__SLUICE_RENDERED_V1__SESSION_TIMEOUT_MS",
                                        "30000",
                                        "MP_MESSAGING_INCOMING__SLUICE_VERDICTS_V1__SESSION_TIMEOUT_MS",
                                        "30000"),
                                "health-service",
                                Map.of(
                                        "MP_MESSAGING_INCOMING__SLUICE_APPLIED_V1__SESSION_TIMEOUT_MS",
                                        "30000",
                                        "MP_MESSAGING_INCOMING__SLUICE_DRIFT_V1__SESSION_TIMEOUT_MS",
                                        "30000")),
                        2);
    }

    /**
     * Back to one replica, and the stopped second one is soon no member of any group (a static
     * member never leaves on its own: its partitions would wait for its session to expire).
     */
    @AfterAll
    static void oneReplicaAgain() throws Exception {
        LocalStackExtension.stack().runServicesAsProcesses();
        // well before the 30 s sessions of the stopped members would have expired
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(staticMembers("apply-service"))
                                        .containsExactly("apply-service-0-sluice.rendered.v1"));
    }

    @Test
    void theReplicasOfAServiceShareItsPartitionsAsStaticMembers() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        for (String service : OWNERSHIP_TOPICS.keySet()) {
            assertThat(stack.replicas(service)).hasSize(2);
            await().atMost(DEADLINE).untilAsserted(() -> assertShared(service));
        }
        assertThat(staticMembers("apply-service"))
                .containsExactlyInAnyOrder(
                        "apply-service-0-sluice.rendered.v1", "apply-service-1-sluice.rendered.v1");
        assertThat(staticMembers("apply-service-verdicts-apply-service-1"))
                .as("verdicts: each replica reads them all, in a group of its own")
                .containsExactly("apply-service-1-sluice.verdicts.v1");
        assertThat(staticMembers("source-service-owners"))
                .as("source-service reads no topic keyed by sources: a member that reads nothing")
                .containsExactlyInAnyOrder(
                        "source-service-0-ownership", "source-service-1-ownership");
        assertThat(staticMembers("render-service-artifacts-render-service-1"))
                .as("artifacts: each render replica reads them all, in a group of its own")
                .containsExactly("render-service-1-sluice.artifacts.v1");
    }

    /**
     * Each object is worked on by one replica of each service, the one that owns its partition: the
     * GitRepository fetched and stored by one source-service replica, each of its Kustomizations
     * rendered by one render-service replica and applied by one apply-service replica; the other
     * replicas' logs never name them. Every status ends Ready, and no status write was left to a
     * conflict.
     */
    @Test
    void eachObjectIsFetchedRenderedAndAppliedByTheReplicaThatOwnsItsPartitionOnly()
            throws Exception {
        String ns = "replicas-one-each";
        int apps = 50;
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        for (String service : OWNERSHIP_TOPICS.keySet()) {
            await().atMost(DEADLINE).untilAsserted(() -> assertShared(service));
        }
        Map<String, Integer> rebalances = rebalancesOfEachReplica();
        String url = stack.git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            for (int app = 0; app < apps; app++) {
                repo.write("app-" + app + "/settings.yaml", configMap("settings-" + app));
            }
            repo.commitAndPush(apps + " apps");
        }
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
        for (int app = 0; app < apps; app++) {
            Manifests.apply(
                    client, Manifests.kustomizationInto(ns, "app-" + app, ns, "./app-" + app));
        }
        await().atMost(DEADLINE)
                .until(() -> client.configMaps().inNamespace(ns).list().getItems().size() > apps);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertWorkedOnByItsOwnerOnly(
                                    "source-service",
                                    new ObjectRef("GitRepository", ns, ns),
                                    "stored artifact");
                            for (int app = 0; app < apps; app++) {
                                ObjectRef ks = new ObjectRef("Kustomization", ns, "app-" + app);
                                assertWorkedOnByItsOwnerOnly("render-service", ks, "rendered ");
                                assertWorkedOnByItsOwnerOnly("apply-service", ks, "applied: ");
                            }
                        });
        assertThat(rebalancesOfEachReplica())
                .as("no rebalance while the objects were worked on: each one's owner was the same")
                .isEqualTo(rebalances);
        // apply-service and health-service write conditions of the same objects, each on
        // condition that nobody wrote since it read them: a conflict is read again and retried, and
        // one left unresolved would leave a status behind and be logged with the server's words
        await().atMost(DEADLINE)
                .until(
                        () ->
                                IntStream.range(0, apps)
                                        .allMatch(
                                                app ->
                                                        FluxReady.isReady(
                                                                client, ns, "app-" + app)));
        for (String service : OWNERSHIP_TOPICS.keySet()) {
            for (ServiceProcess replica : stack.replicas(service)) {
                assertThat(logLines(replica))
                        .as(replica.name() + ": status writes that failed on a conflict")
                        .noneMatch(line -> line.contains("the object has been modified"));
            }
        }
    }

    /**
     * When the source-service replica that owns a GitRepository and the render-service replica that
     * owns its Kustomization die, the survivors get their partitions: the one of source-service
     * fetches the GitRepository at once (a push made meanwhile is stored, and served from there),
     * the one of render-service renders it, and the push is applied.
     */
    @Test
    void aPushMadeWhileTheOwnersOfItsSourceAndKustomizationAreDeadIsAppliedByTheSurvivors()
            throws Exception {
        String ns = "replicas-takeover";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        for (String service : List.of("source-service", "render-service")) {
            await().atMost(DEADLINE).untilAsserted(() -> assertShared(service));
        }
        String url = stack.git().create(ns);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(ns), url)
                        .write("app/settings.yaml", OneConfigMapRepository.settings("first"))) {
            repo.commitAndPush("first");
            Manifests.apply(client, Manifests.namespace(ns));
            Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
            Manifests.apply(client, Manifests.kustomizationInto(ns, "app", ns, "./app"));
            await().atMost(DEADLINE)
                    .until(() -> "first".equals(OneConfigMapRepository.greeting(client, ns)));
            List<ServiceProcess> sources = stack.replicas("source-service");
            List<ServiceProcess> renders = stack.replicas("render-service");
            ServiceProcess source = ownerOf(sources, new ObjectRef("GitRepository", ns, ns));
            ServiceProcess render = ownerOf(renders, new ObjectRef("Kustomization", ns, "app"));
            ServiceProcess survivor = sources.get(sources.indexOf(source) == 0 ? 1 : 0);

            source.kill();
            render.kill();
            Instant killed = Instant.now();
            try {
                repo.write("app/settings.yaml", OneConfigMapRepository.settings("second"))
                        .commitAndPush("second, while the owners are dead");
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> "second".equals(OneConfigMapRepository.greeting(client, ns)));
                System.out.printf(
                        "push applied %d ms after its owners were killed (sessions of 30 s here)%n",
                        Duration.between(killed, Instant.now()).toMillis());
                assertThat(
                                client.resources(GitRepository.class)
                                        .inNamespace(ns)
                                        .withName(ns)
                                        .get()
                                        .getStatus()
                                        .artifact
                                        .url)
                        .as("stored by the survivor, and served from there")
                        .startsWith(survivor.url());
            } finally {
                source.start();
                render.start();
                source.awaitReady(DEADLINE);
                render.awaitReady(DEADLINE);
            }
        }
    }

    /**
     * Either source-service replica serves every artifact, as the chart's shared {@code
     * source-service} Service needs: the replica that did not store a GitRepository's artifact
     * fetches it from the one that did (the url its status names), checks its digest and keeps it.
     */
    @Test
    void eitherSourceReplicaServesAnArtifactTheOtherStored() throws Exception {
        String ns = "replicas-artifacts";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        await().atMost(DEADLINE).untilAsserted(() -> assertShared("source-service"));
        String url = OneConfigMapRepository.push(stack, ns, "first");
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
        Artifact artifact =
                await().atMost(DEADLINE)
                        .until(
                                () -> {
                                    GitRepository source =
                                            client.resources(GitRepository.class)
                                                    .inNamespace(ns)
                                                    .withName(ns)
                                                    .get();
                                    return source.getStatus() == null
                                            ? null
                                            : source.getStatus().artifact;
                                },
                                Objects::nonNull);
        List<ServiceProcess> sources = stack.replicas("source-service");
        ServiceProcess holder = ownerOf(sources, new ObjectRef("GitRepository", ns, ns));
        ServiceProcess other = sources.get(sources.indexOf(holder) == 0 ? 1 : 0);
        String file = artifact.digest.substring("sha256:".length()) + ".tar.gz";
        assertThat(artifact.url).startsWith(holder.url());

        assertThat(artifactFrom(other, file, true).statusCode())
                .as("asked as a peer, the other replica answers from its own store: not stored")
                .isEqualTo(404);
        HttpResponse<byte[]> served = artifactFrom(other, file, false);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(sha256(served.body())).isEqualTo(artifact.digest);
        assertThat(artifactFrom(other, file, true).statusCode())
                .as("kept by the other replica, which serves it now from its own store")
                .isEqualTo(200);
        assertThat(artifactFrom(other, "0".repeat(64) + ".tar.gz", false).statusCode())
                .as("an artifact that no status names")
                .isEqualTo(404);
    }

    /**
     * A scale-up moves partitions off live replicas: a Helm install in flight there (its
     * pre-install hook waited for) is cut short before the added replica gets the release, which
     * then unlocks the pending revision and installs it as an upgrade, as after a restart; no
     * replica reports a failure, and the releases that stayed are installed once.
     */
    @Test
    void aHelmInstallInFlightOnAReplicaThatLosesItsReleaseIsCutShortBeforeTheNewOwnerRunsIt()
            throws Exception {
        String ns = "replicas-cut-short";
        String gate = ns + "-gate";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        await().atMost(DEADLINE).untilAsserted(() -> assertShared("apply-service"));
        int partitions = stack.service("apply-service").ownership().path("partitions").asInt();
        // one release in each partition, so whichever partitions move, a release moves
        Map<Integer, String> releases = new TreeMap<>();
        for (int i = 0; releases.size() < partitions; i++) {
            String name = "r" + i;
            releases.putIfAbsent(
                    Partitioning.partitionFor(
                            new ObjectRef("HelmRelease", ns, name).key(), partitions),
                    name);
        }
        Manifests.apply(client, Manifests.namespace(ns));
        String url = stack.git().create(ns);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(ns), url)) {
            repo.write("charts/gated/Chart.yaml", "apiVersion: v2\nname: gated\nversion: 1.0.0\n")
                    .write(
                            "charts/gated/templates/settings.yaml",
                            "apiVersion: v1\nkind: ConfigMap\n"
                                    + "metadata: {name: '{{ .Release.Name }}-settings'}\n")
                    .write(
                            "charts/gated/templates/hook.yaml",
                            Gates.preInstallJob("'{{ .Release.Name }}-migrate'", gate))
                    .commitAndPush("a chart whose install waits for a gate");
        }
        Manifests.apply(client, Manifests.gitRepository(ns, "charts", url, "1h"));
        for (String name : releases.values()) {
            Manifests.apply(
                    client,
                    """
                    apiVersion: helm.toolkit.fluxcd.io/v2
                    kind: HelmRelease
                    metadata: {name: %s, namespace: %s}
                    spec:
                      interval: 1h
                      timeout: 10m
                      chart: {spec: {chart: ./charts/gated, sourceRef: {kind: GitRepository, name: charts}}}
                    """
                            .formatted(name, ns));
        }
        await().atMost(DEADLINE)
                .until(
                        () ->
                                releases.values().stream()
                                        .allMatch(
                                                name ->
                                                        client.batch()
                                                                        .v1()
                                                                        .jobs()
                                                                        .inNamespace(ns)
                                                                        .withName(name + "-migrate")
                                                                        .get()
                                                                != null));
        List<ServiceProcess> before = stack.replicas("apply-service");

        ServiceProcess added = stack.addReplica("apply-service");
        try {
            Set<Integer> moved =
                    await().atMost(DEADLINE).until(() -> owned(added), o -> !o.isEmpty());
            for (int partition : moved) {
                String release = new ObjectRef("HelmRelease", ns, releases.get(partition)).key();
                assertThat(before)
                        .as("the replica that lost %s cut its install short", release)
                        .anyMatch(
                                replica ->
                                        logLines(replica).stream()
                                                .anyMatch(
                                                        line ->
                                                                line.contains(
                                                                                "cutting short the work of")
                                                                        && line.contains(release)));
            }
            Gates.open(client, gate);
            for (var release : releases.entrySet()) {
                String name = release.getValue();
                await().atMost(DEADLINE)
                        .until(() -> "deployed".equals(HelmStorage.latestStatus(client, ns, name)));
                assertThat(HelmStorage.history(client, ns, name))
                        .as(name + (moved.contains(release.getKey()) ? ", moved" : ", stayed"))
                        .containsExactlyInAnyOrderElementsOf(
                                moved.contains(release.getKey())
                                        ? List.of("1 failed", "2 deployed")
                                        : List.of("1 deployed"));
            }
            for (ServiceProcess replica : stack.replicas("apply-service")) {
                assertThat(logLines(replica))
                        .as(replica.name() + ": failed installs")
                        .noneMatch(line -> line.contains("Helm install failed for release " + ns));
            }
        } finally {
            stack.removeLastReplica("apply-service");
        }
    }

    /** The replica's log, read now (unchecked, for use in assertions' lambdas). */
    private static List<String> logLines(ServiceProcess replica) {
        try {
            return Files.readAllLines(replica.log());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<byte[]> artifactFrom(
            ServiceProcess replica, String file, boolean asPeer) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(replica.url() + "/artifacts/" + file))
                        .timeout(Duration.ofSeconds(30));
        if (asPeer) {
            request.header("Sluice-Peer", "true");
        }
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String configMap(String name) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n";
    }

    /**
     * Some line of the log of the replica of {@code service} that owns {@code object} names it and
     * starts with {@code message}; none of the others' does.
     */
    private static void assertWorkedOnByItsOwnerOnly(
            String service, ObjectRef object, String message) throws Exception {
        List<ServiceProcess> replicas = LocalStackExtension.stack().replicas(service);
        ServiceProcess owner = ownerOf(replicas, object);
        for (ServiceProcess replica : replicas) {
            long lines = linesAbout(replica, object, message);
            if (replica == owner) {
                assertThat(lines).as("%s: %s '%s'", replica.name(), object, message).isPositive();
            } else {
                assertThat(lines).as("%s: %s '%s'", replica.name(), object, message).isZero();
            }
        }
    }

    private static long linesAbout(ServiceProcess replica, ObjectRef object, String message) {
        return logLines(replica).stream()
                .filter(line -> line.startsWith("{") && line.contains(object.name()))
                .filter(
                        line -> {
                            try {
                                JsonNode record = JSON.readTree(line);
                                return object.kind().equals(record.path("controllerKind").asText())
                                        && object.namespace()
                                                .equals(record.path("namespace").asText())
                                        && object.name().equals(record.path("name").asText())
                                        && record.path("msg").asText().startsWith(message);
                            } catch (IOException notARecord) {
                                return false;
                            }
                        })
                .count();
    }

    /** How many rebalances each replica of each service took part in. */
    private static Map<String, Integer> rebalancesOfEachReplica() throws Exception {
        Map<String, Integer> rebalances = new TreeMap<>();
        for (String service : OWNERSHIP_TOPICS.keySet()) {
            for (ServiceProcess replica : LocalStackExtension.stack().replicas(service)) {
                rebalances.put(replica.name(), replica.ownership().path("rebalances").asInt());
            }
        }
        return rebalances;
    }

    private static ServiceProcess ownerOf(List<ServiceProcess> replicas, ObjectRef object)
            throws Exception {
        return ownerOf(
                replicas,
                Partitioning.partitionFor(
                        object.key(), replicas.get(0).ownership().path("partitions").asInt()));
    }

    /**
     * Drift on a Kustomization's object is put back once, by the replica that owns the
     * Kustomization; when that replica dies (and stays dead past its session), the other one gets
     * its partition and puts back drift on the same objects at once, from the owner's last render
     * read again from the topic, not at the next render ten minutes on.
     */
    @Test
    void driftIsCorrectedOnceByTheOwnerAndAtOnceByTheReplicaThatTakesItsPartition()
            throws Exception {
        String ns = "replicas-drift";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        List<ServiceProcess> apply = stack.replicas("apply-service");
        await().atMost(DEADLINE).untilAsserted(() -> assertShared("apply-service"));
        String url = OneConfigMapRepository.push(stack, ns, "from-git");
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
        Manifests.apply(client, Manifests.kustomizationInto(ns, "app", ns, "./app"));
        awaitGreetingFromGit(client, ns);
        String owner = new ObjectRef("Kustomization", ns, "app").key();
        int partition =
                Partitioning.partitionFor(
                        owner, apply.get(0).ownership().path("partitions").asInt());
        ServiceProcess owning = ownerOf(apply, partition);
        ServiceProcess other = apply.get(apply.indexOf(owning) == 0 ? 1 : 0);

        try (TopicReader drift = new TopicReader(stack.kafkaBootstrapServers(), Topics.DRIFT)) {
            // two edits, each put back: one correction each (the second is the barrier for
            // a late one of the first), not one per replica
            for (String edit : List.of("edited", "edited-again")) {
                setGreeting(client, ns, edit);
                awaitGreetingFromGit(client, ns);
            }
            await().atMost(DEADLINE).until(() -> corrections(drift, owner) >= 2);
            assertThat(corrections(drift, owner)).isEqualTo(2);
        }

        owning.kill();
        try {
            await().atMost(DEADLINE).until(() -> ownedOnceAnswering(other).contains(partition));
            setGreeting(client, ns, "edited-while-its-owner-is-dead");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "from-git".equals(OneConfigMapRepository.greeting(client, ns)));
        } finally {
            owning.start();
            owning.awaitReady(DEADLINE);
        }
    }

    /**
     * A replica cut off from the broker (a third one, whose only way to it is a link the test cuts)
     * hears nothing of its group: its lease runs out (two thirds of the 30 s session) before the
     * group expires it and gives its partitions to the others, and it stops working on them then.
     * Drift made on one of its Kustomization's objects in between is not put back by it (it still
     * reaches the cluster, and its drift watch would have at once), but by the replica that takes
     * the partition. Once the link is back, the group gives it partitions again.
     */
    @Test
    void aReplicaCutOffFromTheBrokerStopsWorkingOnItsObjectsBeforeTheGroupMovesThem()
            throws Exception {
        String ns = "replicas-cut-off";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        try (BrokerLink link = stack.kafka().link()) {
            ServiceProcess cutOff =
                    stack.addReplica(
                            "apply-service",
                            Map.of("KAFKA_BOOTSTRAP_SERVERS", link.bootstrapServers()));
            try {
                List<ServiceProcess> apply = stack.replicas("apply-service");
                List<ServiceProcess> others = apply.subList(0, 2);
                await().atMost(DEADLINE).untilAsserted(() -> assertShared("apply-service"));
                Set<Integer> its = owned(cutOff);
                int partitions = cutOff.ownership().path("partitions").asInt();
                ObjectRef ks =
                        IntStream.range(0, 1000)
                                .mapToObj(i -> new ObjectRef("Kustomization", ns, "app-" + i))
                                .filter(
                                        ref ->
                                                its.contains(
                                                        Partitioning.partitionFor(
                                                                ref.key(), partitions)))
                                .findFirst()
                                .orElseThrow();
                String url = OneConfigMapRepository.push(stack, ns, "from-git");
                Manifests.apply(client, Manifests.namespace(ns));
                Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
                Manifests.apply(client, Manifests.kustomizationInto(ns, ks.name(), ns, "./app"));
                awaitGreetingFromGit(client, ns);

                link.cut();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> cutOff.ownership().path("fenced").asBoolean());
                Set<Integer> takenMeanwhile = new TreeSet<>();
                for (ServiceProcess other : others) {
                    takenMeanwhile.addAll(owned(other));
                }
                takenMeanwhile.retainAll(its);
                assertThat(takenMeanwhile)
                        .as("its partitions that another replica had when its lease ran out")
                        .isEmpty();
                assertThat(logLines(cutOff))
                        .anyMatch(line -> line.contains("heard from no broker for PT20S"));

                setGreeting(client, ns, "edited-while-cut-off");
                awaitGreetingFromGit(client, ns);
                assertThat(logLines(cutOff))
                        .as("drift put back by the replica cut off")
                        .noneMatch(line -> line.contains("drift corrected") && line.contains(ns));
                assertThat(ownerOf(others, Partitioning.partitionFor(ks.key(), partitions)))
                        .as("the partition's owner now")
                        .isNotNull();

                link.heal();
                await().atMost(DEADLINE)
                        .untilAsserted(
                                () -> {
                                    assertThat(cutOff.ownership().path("fenced").asBoolean())
                                            .isFalse();
                                    assertShared("apply-service");
                                });
            } finally {
                stack.removeLastReplica("apply-service");
            }
        }
    }

    /**
     * A readiness wait lost with the health replica that ran it (results are acknowledged when they
     * arrive, so the group does not hand the result on again) still ends in a verdict: the replica
     * that gets the partition reads the last result again and judges it.
     */
    @Test
    void aReadinessWaitLostWithItsHealthReplicaEndsInAVerdictFromTheOneThatTakesItsPartition()
            throws Exception {
        String ns = "replicas-health";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        List<ServiceProcess> health = stack.replicas("health-service");
        await().atMost(DEADLINE).untilAsserted(() -> assertShared("health-service"));
        String url = stack.git().create(ns);
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(ns), url)
                        .write("app/web.yaml", NEVER_READY)) {
            repo.commitAndPush("a Deployment that never becomes ready");
        }
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.apply(client, Manifests.gitRepository(ns, ns, url, "10m"));
        Manifests.apply(
                client,
                Manifests.kustomizationInto(ns, "app", ns, "./app")
                        .replace("timeout: 1m", "timeout: 40s"));
        await().atMost(DEADLINE)
                .until(
                        () ->
                                kustomization(client, ns)
                                        .map(k -> k.getStatus().lastAttemptedRevision)
                                        .isPresent());
        String owner = new ObjectRef("Kustomization", ns, "app").key();
        int partition =
                Partitioning.partitionFor(
                        owner, health.get(0).ownership().path("partitions").asInt());
        ServiceProcess owning = ownerOf(health, partition);
        // the result was read and its offset committed: the group will not hand it on again
        TopicPartition applied = new TopicPartition(Topics.APPLIED, partition);
        await().atMost(DEADLINE).until(() -> committedToTheEnd("health-service", applied));
        assertThat(ready(client, ns).map(Condition::getReason))
                .as("no verdict yet: the 40 s wait is running")
                .isNotEqualTo(Optional.of("HealthCheckFailed"));

        owning.kill();
        try {
            await().atMost(Duration.ofSeconds(150))
                    .untilAsserted(
                            () ->
                                    assertThat(ready(client, ns))
                                            .hasValueSatisfying(
                                                    c -> {
                                                        assertThat(c.getStatus())
                                                                .isEqualTo("False");
                                                        assertThat(c.getReason())
                                                                .isEqualTo("HealthCheckFailed");
                                                    }));
        } finally {
            owning.start();
            owning.awaitReady(DEADLINE);
        }
    }

    private static final String NEVER_READY =
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
                  nodeSelector: {nowhere: "true"}
                  containers: [{name: web, image: registry.invalid/web:1}]
            """;

    private static Optional<Kustomization> kustomization(KubernetesClient client, String ns) {
        return Optional.ofNullable(
                        client.resources(Kustomization.class).inNamespace(ns).withName("app").get())
                .filter(k -> k.getStatus() != null);
    }

    private static Optional<Condition> ready(KubernetesClient client, String ns) {
        return kustomization(client, ns)
                .flatMap(k -> Conditions.find(k.getStatus().conditions, Conditions.READY));
    }

    /** The group's committed offset in {@code partition} is the partition's end. */
    private static boolean committedToTheEnd(String group, TopicPartition partition)
            throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                LocalStackExtension.stack().kafkaBootstrapServers()))) {
            OffsetAndMetadata committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(partition);
            long end =
                    admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                            .partitionResult(partition)
                            .get()
                            .offset();
            return committed != null && end > 0 && committed.offset() == end;
        }
    }

    private static ServiceProcess ownerOf(List<ServiceProcess> replicas, int partition)
            throws Exception {
        for (ServiceProcess replica : replicas) {
            if (owned(replica).contains(partition)) {
                return replica;
            }
        }
        throw new AssertionError("no replica owns partition " + partition);
    }

    /** Until the ConfigMap holds Git's greeting (applied, or put back). */
    private static void awaitGreetingFromGit(KubernetesClient client, String ns) {
        await().atMost(DEADLINE)
                .until(() -> "from-git".equals(OneConfigMapRepository.greeting(client, ns)));
    }

    private static void setGreeting(KubernetesClient client, String ns, String greeting) {
        client.configMaps()
                .inNamespace(ns)
                .withName("settings")
                .edit(
                        cm -> {
                            cm.getData().put("greeting", greeting);
                            return cm;
                        });
    }

    private static long corrections(TopicReader drift, String owner) {
        return drift.poll().stream().filter(record -> owner.equals(record.key())).count();
    }

    @Test
    void aReplicaStartedAgainWithinTheSessionGetsItsOwnPartitionsBackAndNoOtherTakesThem()
            throws Exception {
        List<ServiceProcess> apply = LocalStackExtension.stack().replicas("apply-service");
        await().atMost(DEADLINE).untilAsserted(() -> assertShared("apply-service"));
        Set<Integer> survivors = owned(apply.get(0));
        int rebalances = apply.get(0).ownership().path("rebalances").asInt();
        Set<Integer> its = owned(apply.get(1));

        apply.get(1).kill();
        apply.get(1).start();
        // fails at the first look that finds the survivor's partitions changed or the other dead
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .failFast(
                        "the survivor's partitions changed while the other restarted, or"
                                + " apply-service-1 exited",
                        () -> !owned(apply.get(0)).equals(survivors) || !apply.get(1).isRunning())
                .until(() -> ownedOnceAnswering(apply.get(1)).equals(its));
        assertThat(apply.get(0).ownership().path("rebalances").asInt())
                .as("rebalances the survivor took part in: none, it came back as the same member")
                .isEqualTo(rebalances);
        assertThat(owned(apply.get(0))).isEqualTo(survivors);
    }

    /** The instance ids of the group's members, "(dynamic)" for one without. */
    private static List<String> staticMembers(String group) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                LocalStackExtension.stack().kafkaBootstrapServers()))) {
            return admin
                    .describeConsumerGroups(List.of(group))
                    .all()
                    .get()
                    .get(group)
                    .members()
                    .stream()
                    .map(MemberDescription::groupInstanceId)
                    .map(id -> id.orElse("(dynamic)"))
                    .toList();
        }
    }

    /** Each replica owns some partitions, none twice, all of them together. */
    private static void assertShared(String service) throws Exception {
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (ServiceProcess replica : LocalStackExtension.stack().replicas(service)) {
            JsonNode assignment = replica.ownership();
            assertThat(assignment.path("topic").asText()).isEqualTo(OWNERSHIP_TOPICS.get(service));
            Set<Integer> owned = owned(replica);
            assertThat(owned).as(replica.name()).isNotEmpty();
            total += owned.size();
            all.addAll(owned);
            assertThat(all).hasSize(total); // none owned twice
            assertThat(assignment.path("partitions").asInt()).isGreaterThan(1);
        }
        int partitions =
                LocalStackExtension.stack().service(service).ownership().path("partitions").asInt();
        assertThat(all)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, partitions).boxed().toList());
    }

    private static Set<Integer> owned(ServiceProcess replica)
            throws IOException, InterruptedException {
        Set<Integer> owned = new TreeSet<>();
        replica.ownership().path("owned").forEach(p -> owned.add(p.asInt()));
        return owned;
    }

    /** Empty while the replica does not answer: it is restarting, or dead. */
    private static Set<Integer> ownedOnceAnswering(ServiceProcess restarting)
            throws InterruptedException {
        try {
            return owned(restarting);
        } catch (IOException notAnswering) {
            return Set.of();
        }
    }
}
