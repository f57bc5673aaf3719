package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster Flux runs, moved to Sluice: the real fluxcd/flux2-kustomize-helm-example repository
 * (shared/fixtures), its staging cluster reconciled to Ready by Flux's own source-, kustomize- and
 * helm-controller (built from the Go module proxy) while Sluice is stopped; then Flux stops and
 * Sluice starts on the same objects. Nothing is recreated or pruned, no Helm release gets a new
 * revision, kustomize-controller's fields become Sluice's, and the flux CLI shows every object
 * Ready.
 *
 * <p>The fixture is changed where it cannot work here, each for a reason: its HelmRepository URLs
 * point at the local chart repository; cert-manager is left out (its chart is not among the
 * fixtures, and infra-controllers, which waits for it, would hold everything after it; {@code
 * HelmReleaseTest} covers its "not found"), with the ClusterIssuer that needs its CRDs; ingress-
 * nginx's {@code admissionWebhooks} moves under {@code controller}, where the chart reads it (at
 * the top level the webhook is installed, and with nothing behind it on kwok's nodes the API server
 * refuses podinfo's Ingress, and every later Ingress in the cluster); and the objects Flux reads
 * carry a shard label, so Flux's controllers, which watch every namespace here, reconcile this
 * test's objects and no other test's.
 */
@ExtendWith(LocalStackExtension.class)
class FluxExampleMigrationTest {
    private static final Path EXAMPLE =
            Path.of("../../shared/fixtures/repos/flux2-kustomize-helm-example")
                    .toAbsolutePath()
                    .normalize();
    private static final String SHARD = "sharding.fluxcd.io/key";
    private static final String SHARD_LABELS = "{labels: {" + SHARD + ": flux-example}}";
    private static final List<String> KUSTOMIZATIONS =
            List.of("infra-controllers", "infra-configs", "apps");
    private static final List<String> RELEASES = List.of("ingress-nginx", "podinfo");

    /** The kinds the two charts make. */
    private static final List<String[]> RELEASE_KINDS =
            List.of(
                    new String[] {"v1", "ConfigMap"},
                    new String[] {"v1", "Service"},
                    new String[] {"v1", "ServiceAccount"},
                    new String[] {"apps/v1", "Deployment"},
                    new String[] {"networking.k8s.io/v1", "Ingress"},
                    new String[] {"networking.k8s.io/v1", "IngressClass"},
                    new String[] {"rbac.authorization.k8s.io/v1", "Role"},
                    new String[] {"rbac.authorization.k8s.io/v1", "RoleBinding"},
                    new String[] {"rbac.authorization.k8s.io/v1", "ClusterRole"},
                    new String[] {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"});

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static KubernetesClient client;
    private static GitWorkspace repo;
    private static String revision;
    private static Map<String, String> uidsUnderFlux;
    private static Map<String, List<String>> revisionsUnderFlux;
    private static Map<String, List<String>> kustomizationObjects;

    @BeforeAll
    static void fluxThenSluice() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        String url = stack.git().create("flux2-kustomize-helm-example");
        repo = writeRepository(url, stack.charts().orElseThrow().url());
        revision = repo.commitAndPush("the example, runnable here");
        stack.stopServices();
        try {
            try (FluxControllers flux =
                    FluxControllers.start(
                            stack.repoRoot(),
                            stack.runDir().resolve("flux-example-controllers"),
                            stack.kubeconfig(),
                            client,
                            "flux-system",
                            List.of("source-controller", "kustomize-controller", "helm-controller"),
                            List.of(
                                    "--watch-all-namespaces=true",
                                    "--watch-label-selector=" + SHARD + "=flux-example",
                                    "--requeue-dependency=5s"))) {
                Manifests.apply(client, Manifests.namespace("flux-system"));
                Manifests.apply(
                        client,
                        sharded(Manifests.gitRepository("flux-system", "flux-system", url, "10m")));
                for (String file : List.of("infrastructure.yaml", "apps.yaml")) {
                    Manifests.apply(
                            client,
                            shardedKustomizations(
                                    Files.readString(EXAMPLE.resolve("clusters/staging/" + file))));
                }
                await().atMost(DEADLINE).until(FluxExampleMigrationTest::allReady);
                kustomizationObjects = inventories();
                uidsUnderFlux = uids();
                revisionsUnderFlux = helmRevisions();
            }
            stack.runServicesAsProcesses();
            // a reconcile of each object that Sluice has handled since it started
            Map<String, String> kustomizationTokens = new TreeMap<>();
            KUSTOMIZATIONS.forEach(
                    name ->
                            kustomizationTokens.put(
                                    name,
                                    Manifests.requestReconcile(
                                            client, Kustomization.class, "flux-system", name)));
            Map<String, String> releaseTokens = new TreeMap<>();
            RELEASES.forEach(
                    name ->
                            releaseTokens.put(
                                    name,
                                    Manifests.requestReconcile(
                                            client, HelmRelease.class, name, name)));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    kustomizationTokens.entrySet().stream()
                                                    .allMatch(
                                                            e ->
                                                                    e.getValue()
                                                                            .equals(
                                                                                    kustomization(
                                                                                                    e
                                                                                                            .getKey())
                                                                                            .getStatus()
                                                                                            .lastHandledReconcileAt))
                                            && releaseTokens.entrySet().stream()
                                                    .allMatch(
                                                            e ->
                                                                    e.getValue()
                                                                            .equals(
                                                                                    release(
                                                                                                    e
                                                                                                            .getKey())
                                                                                            .getStatus()
                                                                                            .lastHandledReconcileAt))
                                            && allReady());
        } finally {
            if (!stack.service("apply-service").isRunning()) {
                stack.runServicesAsProcesses();
            }
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (repo != null) {
            repo.close();
        }
    }

    @Test
    void nothingIsRecreatedOrPrunedAndNoReleaseIsUpgraded() {
        assertThat(uidsUnderFlux)
                .as(
                        "kustomize-controller's 6 (two Namespaces, HelmRepositories, HelmReleases),"
                                + " ingress-nginx's 9 and podinfo's 6")
                .hasSize(21)
                .containsKeys(
                        "Deployment/ingress-nginx/ingress-nginx-controller",
                        "Deployment/podinfo/podinfo",
                        "Deployment/podinfo/podinfo-redis",
                        "Ingress/podinfo/podinfo",
                        "HelmRelease/podinfo/podinfo");
        assertThat(uids()).as("the same objects, none recreated").isEqualTo(uidsUnderFlux);
        assertThat(revisionsUnderFlux)
                .isEqualTo(
                        Map.of(
                                "ingress-nginx", List.of("1:deployed"),
                                "podinfo", List.of("1:deployed")));
        assertThat(helmRevisions()).isEqualTo(revisionsUnderFlux);
        assertThat(inventories()).as("Flux's inventories kept").isEqualTo(kustomizationObjects);
    }

    @Test
    void theObjectsKustomizeControllerAppliedAreSluicesAndReleasesKeepTheOverlaysValues() {
        List<HasMetadata> applied =
                kustomizationObjects.values().stream()
                        .flatMap(List::stream)
                        .map(FluxExampleMigrationTest::object)
                        .toList();
        assertThat(applied).extracting(FluxExampleMigrationTest::key).hasSize(6);
        assertThat(applied)
                .allSatisfy(
                        o ->
                                assertThat(managers(o))
                                        .as(key(o))
                                        .contains("sluice")
                                        .doesNotContain("kustomize-controller"));
        assertThat(
                        client.network()
                                .v1()
                                .ingresses()
                                .inNamespace("podinfo")
                                .withName("podinfo")
                                .get()
                                .getSpec()
                                .getRules())
                .extracting(r -> r.getHost())
                .containsExactly("podinfo.staging");
        assertThat(release("podinfo").getStatus().lastAttemptedRevision).isEqualTo("6.9.4");
        assertThat(release("ingress-nginx").getStatus().lastAttemptedRevision).isEqualTo("4.15.1");
    }

    @Test
    void theFluxCliShowsEveryObjectReadyAtTheRevision() throws Exception {
        FluxCli.Result kustomizations = FluxCli.run("get", "kustomizations", "-n", "flux-system");
        assertThat(kustomizations.exitCode()).as(kustomizations.output()).isZero();
        String applied = "main@sha1:" + revision.substring(0, 8);
        for (String name : KUSTOMIZATIONS) {
            // NAME, REVISION, SUSPENDED, READY, MESSAGE
            assertThat(row(kustomizations, name))
                    .containsExactly(
                            name, applied, "False", "True", "Applied revision: " + applied);
        }
        FluxCli.Result releases = FluxCli.run("get", "helmreleases", "-A");
        assertThat(releases.exitCode()).as(releases.output()).isZero();
        // NAMESPACE, NAME, REVISION, SUSPENDED, READY, MESSAGE
        assertThat(row(releases, "ingress-nginx", "ingress-nginx").subList(0, 5))
                .containsExactly("ingress-nginx", "ingress-nginx", "4.15.1", "False", "True");
        assertThat(row(releases, "podinfo", "podinfo").subList(0, 5))
                .containsExactly("podinfo", "podinfo", "6.9.4", "False", "True");
    }

    /**
     * The columns of the flux CLI's table row that begins with {@code first} (other tests' releases
     * are also named podinfo, in other namespaces).
     */
    private static List<String> row(FluxCli.Result table, String... first) {
        List<String> start = List.of(first);
        return table.output()
                .lines()
                .map(line -> Stream.of(line.split("\\t")).map(String::trim).toList())
                .filter(
                        columns ->
                                columns.size() > start.size()
                                        && columns.subList(0, start.size()).equals(start))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no row " + start + " in\n" + table.output()));
    }

    /** The example at staging, with the changes the class comment gives. */
    private static GitWorkspace writeRepository(String url, String charts) throws Exception {
        GitWorkspace workspace =
                GitWorkspace.init(Files.createTempDirectory("flux-example"), url).copyFrom(EXAMPLE);
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String content = Files.readString(file);
                String changed =
                        content.replaceAll("(?m)^(\\s*url:\\s*)https://\\S+", "$1" + charts)
                                .replace(
                                        "    admissionWebhooks:\n      enabled: false\n",
                                        "      admissionWebhooks:\n        enabled: false\n")
                                .replace(
                                        "  chart:\n    spec:\n",
                                        "  chart:\n    metadata: "
                                                + SHARD_LABELS
                                                + "\n    spec:\n");
                if (!changed.equals(content)) {
                    workspace.write(EXAMPLE.relativize(file).toString(), changed);
                }
            }
        }
        return workspace
                .write(
                        "infrastructure/controllers/kustomization.yaml",
                        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                + "resources:\n  - ingress-nginx.yaml\n")
                .write(
                        "infrastructure/configs/kustomization.yaml",
                        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                + "resources: []\n");
    }

    /** A Flux object labelled for the shard. */
    private static String sharded(String yaml) {
        return yaml.replace(
                "  namespace: flux-system\n",
                "  namespace: flux-system\n  labels: {" + SHARD + ": flux-example}\n");
    }

    /**
     * Kustomizations labelled for the shard, with what they apply labelled too ({@code
     * commonMetadata}), so source-controller sees the HelmRepositories and helm-controller the
     * HelmReleases.
     */
    private static String shardedKustomizations(String yaml) {
        return sharded(yaml)
                .replace("\nspec:\n", "\nspec:\n  commonMetadata: " + SHARD_LABELS + "\n");
    }

    private static boolean allReady() {
        return KUSTOMIZATIONS.stream()
                        .allMatch(name -> FluxReady.isReady(client, "flux-system", name))
                && RELEASES.stream().allMatch(FluxExampleMigrationTest::releaseReady);
    }

    private static boolean releaseReady(String name) {
        HelmRelease release = release(name);
        return release != null
                && release.getStatus() != null
                && Conditions.find(release.getStatus().conditions, Conditions.READY)
                        .map(c -> "True".equals(c.getStatus()))
                        .orElse(false);
    }

    /** Each Kustomization's inventory: the ids Flux's format gives. */
    private static Map<String, List<String>> inventories() {
        Map<String, List<String>> inventories = new TreeMap<>();
        for (String name : KUSTOMIZATIONS) {
            inventories.put(
                    name,
                    kustomization(name).getStatus().inventory.entries.stream()
                            .map(e -> e.id + "@" + e.v)
                            .sorted()
                            .toList());
        }
        return inventories;
    }

    /** The object an inventory entry ({@code <ns>_<name>_<group>_<kind>@<version>}) names. */
    private static HasMetadata object(String entry) {
        String[] id = entry.substring(0, entry.indexOf('@')).split("_");
        String version = entry.substring(entry.indexOf('@') + 1);
        String apiVersion = id[2].isEmpty() ? version : id[2] + "/" + version;
        var resources = client.genericKubernetesResources(apiVersion, id[3]);
        GenericKubernetesResource found =
                id[0].isEmpty()
                        ? resources.withName(id[1]).get()
                        : resources.inNamespace(id[0]).withName(id[1]).get();
        assertThat(found).as(entry).isNotNull();
        return found;
    }

    /**
     * UIDs by kind/namespace/name: the objects in the inventories, and every object of the two
     * releases (helm-controller, and Sluice, label them with the release).
     */
    private static Map<String, String> uids() {
        Map<String, String> uids = new TreeMap<>();
        kustomizationObjects.values().stream()
                .flatMap(List::stream)
                .map(FluxExampleMigrationTest::object)
                .forEach(o -> uids.put(key(o), o.getMetadata().getUid()));
        for (String[] kind : RELEASE_KINDS) {
            client.genericKubernetesResources(kind[0], kind[1])
                    .inAnyNamespace()
                    .withLabelIn(
                            "helm.toolkit.fluxcd.io/namespace", RELEASES.toArray(String[]::new))
                    .list()
                    .getItems()
                    .forEach(o -> uids.put(key(o), o.getMetadata().getUid()));
        }
        return uids;
    }

    /** Helm's stored revisions of each release, oldest first, as version:status. */
    private static Map<String, List<String>> helmRevisions() {
        Map<String, List<String>> revisions = new TreeMap<>();
        for (String name : RELEASES) {
            revisions.put(
                    name,
                    client
                            .secrets()
                            .inNamespace(name)
                            .withLabel("owner", "helm")
                            .list()
                            .getItems()
                            .stream()
                            .map(s -> s.getMetadata().getLabels())
                            .sorted(
                                    (a, b) ->
                                            Integer.compare(
                                                    Integer.parseInt(a.get("version")),
                                                    Integer.parseInt(b.get("version"))))
                            .map(l -> l.get("version") + ":" + l.get("status"))
                            .toList());
        }
        return revisions;
    }

    private static String key(HasMetadata o) {
        String namespace = o.getMetadata().getNamespace();
        return o.getKind()
                + "/"
                + (namespace == null ? "" : namespace + "/")
                + o.getMetadata().getName();
    }

    private static List<String> managers(HasMetadata o) {
        return o.getMetadata().getManagedFields().stream()
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }

    private static HelmRelease release(String name) {
        return client.resources(HelmRelease.class).inNamespace(name).withName(name).get();
    }

    private static Kustomization kustomization(String name) {
        return client.resources(Kustomization.class)
                .inNamespace("flux-system")
                .withName(name)
                .get();
    }
}
