package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.OCIRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A HelmRelease moved from Flux to Sluice: Flux's own source-controller and helm-controller
 * (v1.9.5, v1.6.4, built from the Go module proxy) install a chart while Sluice is stopped; then
 * Flux stops and Sluice starts on the same release. With the spec unchanged Sluice makes no new
 * revision (helm-controller's release is in sync); with changed values it upgrades the release
 * helm-controller made (revision 2 in the same Helm history), recreating nothing and taking over
 * helm-controller's fields.
 */
@ExtendWith(LocalStackExtension.class)
class HelmReleaseMigrationFromFluxTest {
    private static final String NS = "helm-migration-test";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void sluiceContinuesTheReleaseHelmControllerMadeWithoutReinstalling() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String charts =
                stack.charts()
                        .orElseThrow(
                                () -> new IllegalStateException("shared/fixtures/charts not found"))
                        .url();
        String uid;
        stack.stopServices();
        try {
            try (FluxControllers flux =
                    FluxControllers.start(
                            stack.repoRoot(),
                            stack.runDir().resolve("flux-helm-controllers"),
                            stack.kubeconfig(),
                            client,
                            NS,
                            "source-controller",
                            "helm-controller")) {
                Manifests.apply(client, Manifests.namespace(NS));
                Manifests.apply(
                        client,
                        """
                        apiVersion: source.toolkit.fluxcd.io/v1
                        kind: HelmRepository
                        metadata: {name: fixtures, namespace: %s}
                        spec: {interval: 10m, url: "%s"}
                        """
                                .formatted(NS, charts));
                Manifests.apply(client, release(1));
                await().atMost(DEADLINE)
                        .until(
                                () ->
                                        ready(client, NS)
                                                .map(Condition::getStatus)
                                                .orElse("")
                                                .equals("True"));
                assertThat(revisions(client, NS)).containsExactly(Map.entry(1, "deployed"));
                Deployment made = deployment(client);
                uid = made.getMetadata().getUid();
                assertThat(managers(made)).contains("helm-controller");
            }

            stack.runServicesAsProcesses();
            // a reconcile Sluice has handled: the release helm-controller made is in sync
            String requestedAt =
                    Manifests.requestReconcile(client, HelmRelease.class, NS, "podinfo");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    requestedAt.equals(
                                            helmRelease(client, NS)
                                                    .getStatus()
                                                    .lastHandledReconcileAt));
            assertThat(ready(client, NS))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
            assertThat(revisions(client, NS))
                    .as("nothing installed or upgraded again")
                    .containsExactly(Map.entry(1, "deployed"));

            Manifests.apply(client, release(2));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    revisions(client, NS)
                                            .equals(
                                                    List.of(
                                                            Map.entry(1, "superseded"),
                                                            Map.entry(2, "deployed"))));
            await().atMost(DEADLINE)
                    .untilAsserted(
                            () ->
                                    assertThat(ready(client, NS))
                                            .hasValueSatisfying(
                                                    c -> {
                                                        assertThat(c.getStatus()).isEqualTo("True");
                                                        assertThat(c.getMessage())
                                                                .isEqualTo(
                                                                        "Helm upgrade succeeded for release "
                                                                                + NS
                                                                                + "/podinfo.v2 with chart podinfo@6.9.4");
                                                    }));
            Deployment upgraded = deployment(client);
            assertThat(upgraded.getMetadata().getUid()).as("not recreated").isEqualTo(uid);
            assertThat(upgraded.getSpec().getReplicas()).isEqualTo(2);
            assertThat(managers(upgraded)).contains("sluice").doesNotContain("helm-controller");
        } finally {
            if (!stack.service("apply-service").isRunning()) {
                stack.runServicesAsProcesses();
            }
        }
    }

    /**
     * helm-controller versions a chart from an OCIRepository with the artifact's digest ({@code
     * 6.9.4+<12 hex>}); Sluice versions it the same way, so the release is in sync at the take-over
     * and gets no new revision.
     */
    @Test
    void aReleaseHelmControllerInstalledFromAnOciRepositoryIsInSyncUnderSluice() throws Exception {
        String ns = "helm-migration-oci";
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        String digest =
                stack.registry()
                        .pushChart(
                                ns + "/charts",
                                "podinfo",
                                "6.9.4",
                                stack.repoRoot()
                                        .resolve("../shared/fixtures/charts/podinfo-6.9.4.tgz")
                                        .normalize());
        String version =
                "6.9.4+" + digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
        // Sluice's store already holds the chart's bytes (another source of the same chart):
        // the same digest as source-controller's artifact, which Sluice must not pass on as it is
        String storedNs = ns + "-stored";
        Manifests.apply(client, Manifests.namespace(storedNs));
        Manifests.apply(client, ociRepository(storedNs, stack.registry().host(), ns));
        String storedUrl =
                await().atMost(DEADLINE)
                        .until(
                                () -> artifactUrl(client, storedNs),
                                url -> url != null && !url.isEmpty());
        stack.stopServices();
        try {
            try (FluxControllers flux =
                    FluxControllers.start(
                            stack.repoRoot(),
                            stack.runDir().resolve("flux-oci-helm-controllers"),
                            stack.kubeconfig(),
                            client,
                            ns,
                            "source-controller",
                            "helm-controller")) {
                Manifests.apply(client, Manifests.namespace(ns));
                Manifests.apply(client, ociRepository(ns, stack.registry().host(), ns));
                Manifests.apply(
                        client,
                        """
                        apiVersion: helm.toolkit.fluxcd.io/v2
                        kind: HelmRelease
                        metadata: {name: podinfo, namespace: %s}
                        spec:
                          interval: 1h
                          timeout: 1m
                          chartRef: {kind: OCIRepository, name: podinfo}
                          values: {replicaCount: 2}
                        """
                                .formatted(ns));
                // helm-controller's status is patched in steps: Ready may be True a moment
                // before the history holds the release (seen once in CI)
                await().atMost(DEADLINE)
                        .until(
                                () ->
                                        ready(client, ns)
                                                        .map(Condition::getStatus)
                                                        .orElse("")
                                                        .equals("True")
                                                && helmRelease(client, ns).getStatus().history
                                                        != null);
                assertThat(helmRelease(client, ns).getStatus().history)
                        .extracting(h -> h.chartVersion)
                        .containsExactly(version);
                assertThat(artifactUrl(client, ns))
                        .as("source-controller's artifact, the same bytes Sluice stored")
                        .isNotEqualTo(storedUrl);
            }

            stack.runServicesAsProcesses();
            String requestedAt =
                    Manifests.requestReconcile(client, HelmRelease.class, ns, "podinfo");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    requestedAt.equals(
                                            helmRelease(client, ns)
                                                    .getStatus()
                                                    .lastHandledReconcileAt));
            assertThat(ready(client, ns))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
            assertThat(revisions(client, ns))
                    .as("helm-controller's revision is in sync: nothing upgraded")
                    .containsExactly(Map.entry(1, "deployed"));
            assertThat(helmRelease(client, ns).getStatus().history)
                    .extracting(h -> h.chartVersion)
                    .containsExactly(version);
            assertThat(artifactUrl(client, ns))
                    .as("the kept artifact is served by Sluice")
                    .isEqualTo(storedUrl);
        } finally {
            if (!stack.service("apply-service").isRunning()) {
                stack.runServicesAsProcesses();
            }
        }
    }

    private static String release(int replicas) {
        return """
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 10m
                  timeout: 1m
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.9.4"
                      sourceRef: {kind: HelmRepository, name: fixtures}
                  values:
                    replicaCount: %d
                """
                .formatted(NS, replicas);
    }

    private static String ociRepository(String ns, String registry, String repository) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 1h
                  insecure: true
                  url: oci://%s/%s/charts/podinfo
                  ref: {tag: "6.9.4"}
                  layerSelector:
                    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
                    operation: copy
                """
                .formatted(ns, registry, repository);
    }

    private static String artifactUrl(KubernetesClient client, String ns) {
        OCIRepository repo =
                client.resources(OCIRepository.class).inNamespace(ns).withName("podinfo").get();
        return repo == null || repo.getStatus() == null || repo.getStatus().artifact == null
                ? null
                : repo.getStatus().artifact.url;
    }

    private static HelmRelease helmRelease(KubernetesClient client, String ns) {
        return client.resources(HelmRelease.class).inNamespace(ns).withName("podinfo").get();
    }

    private static Optional<Condition> ready(KubernetesClient client, String ns) {
        HelmRelease release = helmRelease(client, ns);
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, Conditions.READY);
    }

    /** Helm's stored revisions of the release, oldest first: version and status. */
    private static List<Map.Entry<Integer, String>> revisions(KubernetesClient client, String ns) {
        return client
                .secrets()
                .inNamespace(ns)
                .withLabel("owner", "helm")
                .withLabel("name", "podinfo")
                .list()
                .getItems()
                .stream()
                .map(Secret::getMetadata)
                .map(
                        m ->
                                Map.entry(
                                        Integer.parseInt(m.getLabels().get("version")),
                                        m.getLabels().get("status")))
                .sorted(Map.Entry.comparingByKey())
                .toList();
    }

    private static Deployment deployment(KubernetesClient client) {
        return client.apps().deployments().inNamespace(NS).withName("podinfo").get();
    }

    private static List<String> managers(Deployment deployment) {
        return deployment.getMetadata().getManagedFields().stream()
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }
}
