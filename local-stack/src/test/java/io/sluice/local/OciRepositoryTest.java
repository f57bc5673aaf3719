package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.meta.Annotations;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.OCIRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OCIRepository against the real registry on loopback: an artifact pushed as {@code flux push
 * artifact} pushes it is pulled and applied by a Kustomization, a new push under the same tag
 * reaches the cluster, semver picks the highest matching tag, and a missing tag is reported with
 * the registry's own error, as source-controller reports it. Each case in its own namespace.
 */
@ExtendWith(LocalStackExtension.class)
class OciRepositoryTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static KubernetesClient client;
    private static OciRegistry registry;

    @BeforeAll
    static void stack() {
        client = LocalStackExtension.stack().client();
        registry = LocalStackExtension.stack().registry();
    }

    @Test
    void anArtifactPushedToTheRegistryIsAppliedAndANewPushUnderTheTagFollows() throws Exception {
        String ns = "oci-apply";
        Manifests.apply(client, Manifests.namespace(ns));
        String first =
                registry.pushArtifact(
                        ns + "/app", "latest", settings(ns, "one"), "main@sha1:1111111");
        Manifests.apply(client, ociRepository(ns, "tag: latest"));
        Manifests.apply(client, kustomization(ns));

        await().atMost(DEADLINE).until(() -> "one".equals(value(ns)));
        OCIRepository repo = repository(ns);
        assertThat(repo.getStatus().artifact.revision).isEqualTo("latest@" + first);
        assertThat(repo.getStatus().artifact.metadata)
                .containsEntry("org.opencontainers.image.revision", "main@sha1:1111111");
        assertThat(ready(ns))
                .hasValueSatisfying(
                        c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("Succeeded");
                            assertThat(c.getMessage())
                                    .isEqualTo("stored artifact for digest 'latest@" + first + "'");
                        });

        String second =
                registry.pushArtifact(
                        ns + "/app", "latest", settings(ns, "two"), "main@sha1:2222222");
        client.resources(OCIRepository.class)
                .inNamespace(ns)
                .withName("app")
                .edit(
                        r -> {
                            r.getMetadata().setAnnotations(Map.of(Annotations.REQUESTED_AT, "1"));
                            return r;
                        });
        await().atMost(DEADLINE).until(() -> "two".equals(value(ns)));
        assertThat(repository(ns).getStatus().artifact.revision).isEqualTo("latest@" + second);
        await().atMost(DEADLINE)
                .until(
                        () ->
                                FluxReady.of(client, ns, "app")
                                        .map(c -> c.getMessage())
                                        .orElse("")
                                        .equals("Applied revision: latest@" + second));
    }

    @Test
    void semverPicksTheHighestTagInTheRangeNeitherAHigherMajorNorAPreRelease() throws Exception {
        String ns = "oci-semver";
        Manifests.apply(client, Manifests.namespace(ns));
        registry.pushArtifact(ns + "/app", "1.0.0", settings(ns, "one"), "v1.0.0@sha1:1");
        String wanted =
                registry.pushArtifact(ns + "/app", "1.1.0", settings(ns, "two"), "v1.1.0@sha1:2");
        registry.pushArtifact(ns + "/app", "2.0.0", settings(ns, "three"), "v2.0.0@sha1:3");
        // a higher pre-release in the range is not taken unless the range asks for pre-releases
        registry.pushArtifact(ns + "/app", "1.2.0-rc.1", settings(ns, "rc"), "v1.2.0-rc.1@sha1:5");
        registry.pushArtifact(ns + "/app", "latest", settings(ns, "four"), "main@sha1:4");
        Manifests.apply(client, ociRepository(ns, "semver: \">=1.0.0 <2.0.0\""));
        Manifests.apply(client, kustomization(ns));

        await().atMost(DEADLINE).until(() -> "two".equals(value(ns)));
        assertThat(repository(ns).getStatus().artifact.revision).isEqualTo("1.1.0@" + wanted);
    }

    @Test
    void aMissingTagIsReportedWithTheRegistrysError() throws Exception {
        String ns = "oci-missing";
        Manifests.apply(client, Manifests.namespace(ns));
        registry.pushArtifact(ns + "/app", "v1", settings(ns, "one"), "main@sha1:1");
        Manifests.apply(client, ociRepository(ns, "tag: v9"));
        // the registry's error (distribution v3.1.2's detail for a missing tag), worded as
        // go-containerregistry words it for source-controller

        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("OCIArtifactPullFailed");
                                                    assertThat(c.getMessage())
                                                            .isEqualTo(
                                                                    "failed to determine artifact digest: GET http://"
                                                                            + registry.host()
                                                                            + "/v2/oci-missing/app/manifests/v9: "
                                                                            + "MANIFEST_UNKNOWN: manifest unknown; unknown tag=v9");
                                                }));
        assertThat(repository(ns).getStatus().artifact).as("nothing stored").isNull();
    }

    @Test
    void aDigestTheRegistryDoesNotHoldIsReportedNamingIt() throws Exception {
        String ns = "oci-wrong-digest";
        Manifests.apply(client, Manifests.namespace(ns));
        registry.pushArtifact(ns + "/app", "v1", settings(ns, "one"), "main@sha1:1");
        String absent = "sha256:" + "0".repeat(64);
        Manifests.apply(client, ociRepository(ns, "digest: \"" + absent + "\""));

        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("OCIArtifactPullFailed");
                                                    assertThat(c.getMessage())
                                                            .startsWith(
                                                                    "failed to pull artifact from 'oci://"
                                                                            + registry.host()
                                                                            + "/oci-wrong-digest/app': GET http://"
                                                                            + registry.host()
                                                                            + "/v2/oci-wrong-digest/app/manifests/"
                                                                            + absent
                                                                            + ": MANIFEST_UNKNOWN");
                                                }));
        assertThat(repository(ns).getStatus().artifact).as("nothing stored").isNull();
    }

    @Test
    void aHelmReleaseInstallsTheChartItsChartRefNamesFromTheRegistry() throws Exception {
        String ns = "oci-chart";
        Manifests.apply(client, Manifests.namespace(ns));
        String digest = pushPodinfo(ns);
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 1h
                  url: oci://%s/%s/charts/podinfo
                  ref: {semver: "6.x"}
                  layerSelector:
                    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
                    operation: copy
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 1h
                  chartRef: {kind: OCIRepository, name: podinfo}
                  values: {replicaCount: 2}
                """
                        .formatted(ns, registry.host(), ns, ns));

        awaitPodinfoInstalled(ns);
        assertThat(
                        client.resources(OCIRepository.class)
                                .inNamespace(ns)
                                .withName("podinfo")
                                .get()
                                .getStatus()
                                .artifact
                                .revision)
                .isEqualTo("6.9.4@" + digest);
        // as helm-controller versions a chart from an OCIRepository: the digest's first 12 hex
        // digits as build metadata, in Helm's storage and in the templates' .Chart.Version
        String hex = digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
        assertThat(
                        client.resources(HelmRelease.class)
                                .inNamespace(ns)
                                .withName("podinfo")
                                .get()
                                .getStatus()
                                .history)
                .extracting(s -> s.chartVersion)
                .containsExactly("6.9.4+" + hex);
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace(ns)
                                .withName("podinfo")
                                .get()
                                .getMetadata()
                                .getLabels())
                .containsEntry("helm.sh/chart", "podinfo-6.9.4_" + hex);
    }

    @Test
    void aHelmReleaseInstallsAChartOfAnOciHelmRepository() throws Exception {
        String ns = "oci-helmrepo";
        Manifests.apply(client, Manifests.namespace(ns));
        pushPodinfo(ns);
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: HelmRepository
                metadata: {name: charts, namespace: %s}
                spec:
                  type: oci
                  interval: 1h
                  url: oci://%s/%s/charts
                ---
                apiVersion: helm.toolkit.fluxcd.io/v2
                kind: HelmRelease
                metadata: {name: podinfo, namespace: %s}
                spec:
                  interval: 1h
                  chart:
                    spec:
                      chart: podinfo
                      version: "6.x"
                      sourceRef: {kind: HelmRepository, name: charts}
                  values: {replicaCount: 2}
                """
                        .formatted(ns, registry.host(), ns, ns));

        awaitPodinfoInstalled(ns);
        assertThat(
                        client.resources(HelmRelease.class)
                                .inNamespace(ns)
                                .withName("podinfo")
                                .get()
                                .getStatus()
                                .lastAttemptedRevision)
                .isEqualTo("6.9.4");
    }

    @Test
    void aRegistryThatAsksForALoginIsReadWithTheSecretsCredentialsAndRefusesOthers()
            throws Exception {
        String ns = "oci-login";
        LocalStack stack = LocalStackExtension.stack();
        try (OciRegistry guarded =
                OciRegistry.startWithLogin(
                        stack.repoRoot(),
                        stack.runDir().resolve("registry-login"),
                        "flux",
                        "s3cret")) {
            Manifests.apply(client, Manifests.namespace(ns));
            String digest =
                    guarded.pushArtifact(
                            ns + "/app", "latest", settings(ns, "one"), "main@sha1:1111111");
            StringBuilder objects = new StringBuilder();
            for (var login : Map.of("right", "s3cret", "wrong", "guess").entrySet()) {
                objects.append(
                        """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: %s, namespace: %s}
                        type: kubernetes.io/dockerconfigjson
                        stringData:
                          .dockerconfigjson: '{"auths":{"%s":{"username":"flux","password":"%s"}}}'
                        ---
                        """
                                .formatted(login.getKey(), ns, guarded.host(), login.getValue()));
            }
            for (String name : new String[] {"right", "wrong", "none"}) {
                objects.append(
                        """
                        apiVersion: source.toolkit.fluxcd.io/v1
                        kind: OCIRepository
                        metadata: {name: %s, namespace: %s}
                        spec:
                          interval: 1h
                          url: oci://%s/%s/app
                          %s
                        ---
                        """
                                .formatted(
                                        name,
                                        ns,
                                        guarded.host(),
                                        ns,
                                        name.equals("none")
                                                ? ""
                                                : "secretRef: {name: " + name + "}"));
            }
            Manifests.apply(client, objects.toString());

            await().atMost(DEADLINE)
                    .untilAsserted(
                            () ->
                                    assertThat(ready(ns, "right"))
                                            .hasValueSatisfying(
                                                    c ->
                                                            assertThat(c.getMessage())
                                                                    .isEqualTo(
                                                                            "stored artifact for digest 'latest@"
                                                                                    + digest
                                                                                    + "'")));
            String refused =
                    "failed to determine artifact digest: GET http://"
                            + guarded.host()
                            + "/v2/oci-login/app/manifests/latest: UNAUTHORIZED: authentication required";
            for (String name : new String[] {"wrong", "none"}) {
                await().atMost(DEADLINE)
                        .untilAsserted(
                                () ->
                                        assertThat(ready(ns, name))
                                                .as(name)
                                                .hasValueSatisfying(
                                                        c -> {
                                                            assertThat(c.getStatus())
                                                                    .isEqualTo("False");
                                                            assertThat(c.getReason())
                                                                    .isEqualTo(
                                                                            "OCIArtifactPullFailed");
                                                            assertThat(c.getMessage())
                                                                    .startsWith(refused);
                                                        }));
            }
        }
    }

    private static String ociRepository(String ns, String ref) {
        return """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata: {name: app, namespace: %s}
                spec:
                  interval: 1h
                  url: oci://%s/%s/app
                  ref: {%s}
                """
                .formatted(ns, registry.host(), ns, ref);
    }

    private static String kustomization(String ns) {
        return """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata: {name: app, namespace: %s}
                spec:
                  interval: 1h
                  path: ./
                  prune: true
                  sourceRef: {kind: OCIRepository, name: app}
                """
                .formatted(ns);
    }

    private static Map<String, String> settings(String ns, String value) {
        return Map.of(
                "settings.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: "
                        + ns
                        + "}\ndata: {value: "
                        + value
                        + "}\n");
    }

    private static String value(String ns) {
        var configMap = client.configMaps().inNamespace(ns).withName("settings").get();
        return configMap == null ? "" : configMap.getData().get("value");
    }

    /** The fixture chart podinfo 6.9.4, pushed as {@code helm push} pushes it. */
    private static String pushPodinfo(String ns) throws Exception {
        Path archive =
                LocalStackExtension.stack()
                        .repoRoot()
                        .resolve("../shared/fixtures/charts/podinfo-6.9.4.tgz")
                        .normalize();
        return registry.pushChart(ns + "/charts", "podinfo", "6.9.4", archive);
    }

    /** The release podinfo Ready, with the values it was given (two replicas). */
    private static void awaitPodinfoInstalled(String ns) {
        await().atMost(DEADLINE).until(() -> releaseReady(ns));
        assertThat(client.apps().deployments().inNamespace(ns).withName("podinfo").get())
                .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
    }

    private static boolean releaseReady(String ns) {
        return Optional.ofNullable(
                        client.resources(HelmRelease.class)
                                .inNamespace(ns)
                                .withName("podinfo")
                                .get())
                .filter(r -> r.getStatus() != null)
                .flatMap(r -> Conditions.find(r.getStatus().conditions, Conditions.READY))
                .map(c -> "True".equals(c.getStatus()))
                .orElse(false);
    }

    private static OCIRepository repository(String ns) {
        return repository(ns, "app");
    }

    private static OCIRepository repository(String ns, String name) {
        return client.resources(OCIRepository.class).inNamespace(ns).withName(name).get();
    }

    private static Optional<Condition> ready(String ns) {
        return ready(ns, "app");
    }

    private static Optional<Condition> ready(String ns, String name) {
        OCIRepository repo = repository(ns, name);
        return repo == null || repo.getStatus() == null
                ? Optional.empty()
                : Conditions.find(repo.getStatus().conditions, Conditions.READY);
    }
}
