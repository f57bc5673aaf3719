package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real fluxcd/flux2-kustomize-helm-example repository (shared/fixtures), unchanged but for its
 * HelmRepository URLs, which point at the local chart repository: the staging cluster's
 * Kustomizations are applied as Flux users apply them. The chart repository lacks cert-manager, so
 * that release, and only that release, fails with a clear cause.
 */
@ExtendWith(LocalStackExtension.class)
class FluxExampleRepositoryTest {
    private static final Path EXAMPLE =
            Path.of("../../shared/fixtures/repos/flux2-kustomize-helm-example")
                    .toAbsolutePath()
                    .normalize();
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static KubernetesClient client;
    private static GitWorkspace repo;

    @BeforeAll
    static void bootstrap() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        String charts = stack.charts().orElseThrow().url();
        String url = stack.git().create("flux2-kustomize-helm-example");
        repo = GitWorkspace.init(Files.createTempDirectory("flux-example"), url).copyFrom(EXAMPLE);
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String content = Files.readString(file);
                if (content.contains("kind: HelmRepository")) {
                    repo.write(
                            EXAMPLE.relativize(file).toString(),
                            content.replaceAll("(?m)^(\\s*url:\\s*)https://\\S+", "$1" + charts));
                }
            }
        }
        repo.commitAndPush("the example, with its chart repositories served locally");
        Manifests.apply(client, Manifests.namespace("flux-system"));
        Manifests.apply(client, Manifests.gitRepository("flux-system", "flux-system", url, "10m"));
        Manifests.apply(
                client, Files.readString(EXAMPLE.resolve("clusters/staging/infrastructure.yaml")));
        String apps = Files.readString(EXAMPLE.resolve("clusters/staging/apps.yaml"));
        Manifests.apply(client, apps);
        // The example's chain (apps -> infra-configs -> infra-controllers, which waits for
        // cert-manager) holds the apps
        // behind the missing chart, as Flux would. To see every release rendered, the apps layer is
        // also applied once
        // without its dependsOn.
        Manifests.apply(
                client,
                apps.replace("name: apps", "name: apps-unchained")
                        .replaceAll("(?m)^  dependsOn:\\n    - name: infra-configs\\n", ""));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        repo.close();
    }

    @Test
    void chartsThatExistAreInstalledWithTheOverlaysValues() {
        awaitRelease("ingress-nginx", "ingress-nginx", "True");
        // Ready comes from health-service a moment before apply-service records the revision
        // deployed
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                release("ingress-nginx", "ingress-nginx")
                                                        .getStatus()
                                                        .history)
                                        .first()
                                        .extracting(
                                                s -> s.chartName,
                                                s -> s.chartVersion,
                                                s -> s.status)
                                        .containsExactly("ingress-nginx", "4.15.1", "deployed"));
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("ingress-nginx")
                                .withName("ingress-nginx-controller")
                                .get())
                .isNotNull();
        // The example sets admissionWebhooks at the top level, where the chart does not read it, so
        // ingress-nginx's
        // validating webhook is installed, as it is under Flux. A simulated cluster has nothing
        // behind the webhook, so
        // once it exists the API server refuses podinfo's Ingress. The unchained apps layer may be
        // applied before or
        // after it: either podinfo is Ready with the overlay's values, or it says exactly why not.
        await().atMost(DEADLINE)
                .until(
                        () ->
                                ready(release("podinfo", "podinfo"))
                                        .map(
                                                c ->
                                                        "True".equals(c.getStatus())
                                                                || c.getMessage()
                                                                        .contains(
                                                                                "Ingress/podinfo/podinfo"))
                                        .orElse(false));
        Condition podinfo = ready(release("podinfo", "podinfo")).orElseThrow();
        if ("True".equals(podinfo.getStatus())) {
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
        } else {
            assertThat(podinfo.getMessage()).contains("validate.nginx.ingress.kubernetes.io");
        }
        assertThat(release("podinfo", "podinfo").getStatus().lastAttemptedRevision)
                .isEqualTo("6.9.4");
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("podinfo")
                                .withName("podinfo-redis")
                                .get())
                .isNotNull();
        assertThat(client.apps().deployments().inNamespace("podinfo").withName("podinfo").get())
                .isNotNull();
    }

    @Test
    void theMissingChartFailsThatReleaseOnlyWithAClearCause() {
        // "HelmRepository ... not found" may come first: the release and its repository are applied
        // side by side
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(release("cert-manager", "cert-manager")))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("ArtifactFailed");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "chart 'cert-manager' not found");
                                                }));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(kustomization("infra-configs")))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("DependencyNotReady");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "dependency 'flux-system/infra-controllers' is not ready");
                                                }));
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(kustomization("apps")))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getReason())
                                                            .isEqualTo("DependencyNotReady");
                                                    assertThat(c.getMessage())
                                                            .contains(
                                                                    "dependency 'flux-system/infra-configs'");
                                                }));
    }

    private static void awaitRelease(String namespace, String name, String status) {
        await().atMost(DEADLINE)
                .until(
                        () ->
                                Optional.ofNullable(release(namespace, name))
                                        .flatMap(FluxExampleRepositoryTest::ready)
                                        .map(c -> status.equals(c.getStatus()))
                                        .orElse(false));
    }

    private static HelmRelease release(String namespace, String name) {
        return client.resources(HelmRelease.class).inNamespace(namespace).withName(name).get();
    }

    private static Kustomization kustomization(String name) {
        return client.resources(Kustomization.class)
                .inNamespace("flux-system")
                .withName(name)
                .get();
    }

    private static Optional<Condition> ready(HelmRelease release) {
        return release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, Conditions.READY);
    }

    private static Optional<Condition> ready(Kustomization ks) {
        return ks == null || ks.getStatus() == null
                ? Optional.empty()
                : Conditions.find(ks.getStatus().conditions, Conditions.READY);
    }
}
