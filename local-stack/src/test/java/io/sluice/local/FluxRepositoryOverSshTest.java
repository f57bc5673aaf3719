package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.helm.HelmRelease;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real fluxcd/flux2-kustomize-helm-example repository as {@code flux bootstrap} leaves it: read
 * over SSH with the deploy key Secret {@code flux-system}, its apps layer holding a Secret
 * encrypted with sops and age and its Kustomization decrypting with the {@code sops-age} Secret, as
 * Flux's SOPS guide sets it up. Each test pushes its own copy, moved into its own namespace (the
 * example's {@code podinfo} namespace and {@code flux-system} objects renamed), with the chart
 * repository served locally, the apps layer's {@code dependsOn} on the infrastructure dropped (the
 * local chart repository lacks cert-manager) and podinfo's Ingress disabled (the shared cluster may
 * hold ingress-nginx's validating webhook with nothing behind it).
 */
@ExtendWith(LocalStackExtension.class)
class FluxRepositoryOverSshTest {
    private static final Path EXAMPLE =
            Path.of("../../shared/fixtures/repos/flux2-kustomize-helm-example")
                    .toAbsolutePath()
                    .normalize();
    private static final String PASSWORD = "redis-password-5b1c";
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    private static KubernetesClient client;
    private static SopsTool sops;
    private static SopsTool.AgeKey key;

    @BeforeAll
    static void tools() throws Exception {
        client = LocalStackExtension.stack().client();
        sops = SopsTool.pinned();
        key = sops.newAgeKey();
    }

    @Test
    void theBootstrappedRepositoryOverSshWithItsAgeKeyReconcilesReady() throws Exception {
        String ns = "flux-ssh-sops";
        String commit = bootstrap(ns, key.identity());
        String revision = "main@sha1:" + commit;
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository source =
                                    client.resources(GitRepository.class)
                                            .inNamespace(ns)
                                            .withName("flux-system")
                                            .get();
                            assertThat(source.getStatus()).isNotNull();
                            assertThat(source.getStatus().artifact)
                                    .extracting(a -> a.revision)
                                    .isEqualTo(revision);
                            assertThat(ready(kustomization(ns)))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("True");
                                                assertThat(c.getMessage())
                                                        .isEqualTo("Applied revision: " + revision);
                                            });
                        });
        assertThat(redisPassword(ns)).isEqualTo(PASSWORD);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(release(ns)))
                                        .hasValueSatisfying(
                                                c -> assertThat(c.getStatus()).isEqualTo("True")));
        assertThat(client.apps().deployments().inNamespace(ns).withName("podinfo-redis").get())
                .isNotNull();

        List<ConsumerRecord<String, String>> records =
                TopicReader.everything(
                        LocalStackExtension.stack().kafkaBootstrapServers(),
                        List.of(
                                Topics.RENDERED,
                                Topics.APPLIED,
                                Topics.VERDICTS,
                                Topics.ALERTS,
                                Topics.DRIFT,
                                Topics.DEAD_LETTER));
        assertThat(records).anyMatch(r -> ("Kustomization/" + ns + "/apps").equals(r.key()));
        for (ConsumerRecord<String, String> record : records) {
            for (String form : TopicReader.readableForms(record)) {
                assertThat(form)
                        .as("%s record %s", record.topic(), record.key())
                        .doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void theSameRepositoryWithAWrongAgeKeyFailsTheAppsLayerAndAppliesNothingOfIt()
            throws Exception {
        String ns = "flux-ssh-sops-wrong";
        bootstrap(ns, sops.newAgeKey().identity());
        await().atMost(DEADLINE)
                .untilAsserted(
                        () ->
                                assertThat(ready(kustomization(ns)))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(c.getMessage())
                                                            .contains("decryption of")
                                                            .contains("Secret/redis-auth");
                                                }));
        assertThat(release(ns)).as("nothing of the apps layer applied").isNull();
        assertThat(client.secrets().inNamespace(ns).withName("redis-auth").get()).isNull();
    }

    /**
     * Pushes the example moved into {@code ns}, creates the bootstrap's objects there, and returns
     * the pushed commit.
     */
    private static String bootstrap(String ns, String ageIdentity) throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        String charts = stack.charts().orElseThrow().url();
        String commit;
        try (GitWorkspace repo =
                GitWorkspace.init(Files.createTempDirectory(ns), stack.git().create(ns))) {
            repo.copyFrom(EXAMPLE);
            try (Stream<Path> files = Files.walk(EXAMPLE.resolve("apps"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    repo.write(
                            EXAMPLE.relativize(file).toString(),
                            Files.readString(file)
                                    .replaceAll("(?m)^(\\s*url:\\s*)https://\\S+", "$1" + charts)
                                    .replaceAll("(?m)^(\\s*namespace:) podinfo$", "$1 " + ns)
                                    .replace(
                                            "  name: podinfo\n  labels:",
                                            "  name: " + ns + "\n  labels:")
                                    .replace(
                                            "    ingress:\n      enabled: true",
                                            "    ingress:\n      enabled: false"));
                }
            }
            String staging =
                    Files.readString(EXAMPLE.resolve("apps/staging/kustomization.yaml"))
                            .replaceAll("(?m)^namespace: podinfo$", "namespace: " + ns);
            commit =
                    repo.write(
                                    "apps/staging/kustomization.yaml",
                                    staging.replace(
                                            "  - ../base/podinfo\n",
                                            "  - ../base/podinfo\n  - redis-auth.yaml\n"))
                            .write(
                                    "apps/staging/redis-auth.yaml",
                                    sops.encrypt(
                                            key.recipient(),
                                            """
                                            apiVersion: v1
                                            kind: Secret
                                            metadata: {name: redis-auth}
                                            type: Opaque
                                            stringData:
                                              password: %s
                                            """
                                                    .formatted(PASSWORD),
                                            "yaml",
                                            true))
                            .write(
                                    ".sops.yaml",
                                    "creation_rules: [{encrypted_regex: ^(data|stringData)$, age: "
                                            + key.recipient()
                                            + "}]\n")
                            .commitAndPush("the example with an encrypted Secret, as bootstrapped");
        }
        Manifests.apply(client, Manifests.namespace(ns));
        KeyPair deployKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        Manifests.createSecret(
                client,
                ns,
                "flux-system",
                DeployKeys.secret(
                        deployKey, DeployKeys.pkcs8(deployKey), null, DeployKeys.knownHosts()));
        Manifests.createSecret(client, ns, "sops-age", Map.of("age.agekey", ageIdentity));
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: flux-system, namespace: %s}
                spec:
                  interval: 1m0s
                  ref: {branch: main}
                  secretRef: {name: flux-system}
                  url: %s
                """
                        .formatted(ns, stack.git().sshUrl(ns + ".git")));
        Manifests.apply(
                client,
                Files.readString(EXAMPLE.resolve("clusters/staging/apps.yaml"))
                                .replace("namespace: flux-system", "namespace: " + ns)
                                .replace("  dependsOn:\n    - name: infra-configs\n", "")
                        + """
                          decryption:
                            provider: sops
                            secretRef:
                              name: sops-age
                        """);
        return commit;
    }

    private static String redisPassword(String ns) {
        Secret secret = client.secrets().inNamespace(ns).withName("redis-auth").get();
        return new String(
                Base64.getDecoder().decode(secret.getData().get("password")),
                StandardCharsets.UTF_8);
    }

    private static Kustomization kustomization(String ns) {
        return client.resources(Kustomization.class).inNamespace(ns).withName("apps").get();
    }

    private static HelmRelease release(String ns) {
        return client.resources(HelmRelease.class).inNamespace(ns).withName("podinfo").get();
    }

    private static Optional<Condition> ready(Kustomization ks) {
        return ks == null || ks.getStatus() == null
                ? Optional.empty()
                : Conditions.find(ks.getStatus().conditions, Conditions.READY);
    }

    private static Optional<Condition> ready(HelmRelease release) {
        return release == null || release.getStatus() == null
                ? Optional.empty()
                : Conditions.find(release.getStatus().conditions, Conditions.READY);
    }
}
