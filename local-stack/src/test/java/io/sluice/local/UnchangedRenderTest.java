package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.source.GitRepository;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A commit that changes one Kustomization's files out of two on the same repository dry-runs and
 * applies that one's objects only: the other renders what it applied already and records the new
 * revision without a request to its objects, and its wait reads them from health-service's watch
 * (at the version its last apply left them at), not by GET. A requested reconcile of it dry-runs
 * them again. Requests are counted by the API server ({@code apiserver_request_total}), on a kind
 * of this test's own so that no other test's reconciles are counted.
 */
@ExtendWith(LocalStackExtension.class)
class UnchangedRenderTest {
    private static final String NS = "unchanged-render-test";
    private static final String GROUP = "unchanged.sluice.test";
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void aCommitThatChangesOneKustomizationWritesNothingForTheOther() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        KubernetesClient client = stack.client();
        Manifests.apply(
                client,
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: markers.%1$s}
                spec:
                  group: %1$s
                  scope: Namespaced
                  names: {kind: Marker, plural: markers, singular: marker}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """
                        .formatted(GROUP));
        LocalStack.awaitEstablished(client, "markers." + GROUP);
        String url = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), url)) {
            repo.write("a/settings.yaml", settings("hello"))
                    .write(
                            "b/marker.yaml",
                            "apiVersion: %s/v1\nkind: Marker\nmetadata: {name: marker}\nspec: {colour: blue}\n"
                                    .formatted(GROUP))
                    .commitAndPush("two apps");
            Manifests.apply(client, Manifests.namespace(NS));
            Manifests.apply(client, Manifests.gitRepository(NS, NS, url, "10m"));
            Manifests.apply(client, Manifests.kustomizationInto(NS, "a", NS, "./a"));
            Manifests.apply(client, Manifests.kustomizationInto(NS, "b", NS, "./b"));
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    FluxReady.isReady(client, NS, "a")
                                            && FluxReady.isReady(client, NS, "b"));
            long dryRuns = ApiServerMetrics.dryRuns(client, GROUP);
            assertThat(dryRuns).as("the marker's dry runs at its first apply").isPositive();
            long reads = ApiServerMetrics.reads(client, GROUP);

            String revision =
                    "main@sha1:"
                            + repo.write("a/settings.yaml", settings("bye")).commitAndPush("a");
            Manifests.requestReconcile(client, GitRepository.class, NS, NS);
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    appliedAt(client, "a", revision)
                                            && appliedAt(client, "b", revision));
            assertThat(
                            client.configMaps()
                                    .inNamespace(NS)
                                    .withName("settings")
                                    .get()
                                    .getData()
                                    .get("greeting"))
                    .isEqualTo("bye");
            assertThat(ApiServerMetrics.dryRuns(client, GROUP))
                    .as("the marker's dry runs since")
                    .isEqualTo(dryRuns);
            assertThat(ApiServerMetrics.reads(client, GROUP))
                    .as("the marker's reads by GET since")
                    .isEqualTo(reads);

            String requested = Manifests.requestReconcile(client, Kustomization.class, NS, "b");
            await().atMost(DEADLINE)
                    .until(
                            () ->
                                    requested.equals(
                                            client.resources(Kustomization.class)
                                                    .inNamespace(NS)
                                                    .withName("b")
                                                    .get()
                                                    .getStatus()
                                                    .lastHandledReconcileAt));
            assertThat(ApiServerMetrics.dryRuns(client, GROUP))
                    .as("the marker's dry runs after a requested reconcile")
                    .isGreaterThan(dryRuns);
        }
    }

    private static String settings(String greeting) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {greeting: "
                + greeting
                + "}\n";
    }

    private static boolean appliedAt(KubernetesClient client, String name, String revision) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(NS).withName(name).get();
        return ks.getStatus() != null
                && revision.equals(ks.getStatus().lastAppliedRevision)
                && FluxReady.of(client, NS, name)
                        .map(
                                ready ->
                                        "True".equals(ready.getStatus())
                                                && ready.getMessage().contains(revision))
                        .orElse(false);
    }
}
