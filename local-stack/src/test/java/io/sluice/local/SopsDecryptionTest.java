package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.events.Topics;
import io.sluice.contracts.kustomize.Kustomization;
import io.sluice.contracts.meta.Conditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A repository laid out as a Flux user keeps one (a Secret encrypted with sops and age, an
 * encrypted .env read by a secretGenerator, a plain ConfigMap), encrypted with the real sops and
 * age, applied by a Kustomization with {@code decryption: {provider: sops}}: with the right key the
 * values arrive decrypted and no topic holds them; with a wrong key the Kustomization fails naming
 * the decryption and nothing of it is applied.
 */
@ExtendWith(LocalStackExtension.class)
class SopsDecryptionTest {
    private static final String PASSWORD = "sops-password-3e9f";
    private static final String TOKEN = "sops-token-77ad";
    private static final String PGP_PASSWORD = "sops-pgp-password-51c0";
    private static KubernetesClient client;
    private static String url;
    private static SopsTool sops;
    private static String identity;
    private static PgpKey pgp;

    @BeforeAll
    static void encryptedRepository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        sops = SopsTool.pinned();
        SopsTool.AgeKey key = sops.newAgeKey();
        identity = key.identity();
        String db =
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                type: Opaque
                stringData:
                  password: %s
                """
                        .formatted(PASSWORD);
        pgp = PgpKey.generate("Sops Test <sops@example.com>");
        String pgpDb = db.replace(PASSWORD, PGP_PASSWORD);
        String pgpEncrypted =
                sops.encryptForPgp(pgp.fingerprint(), pgp.publicKeyRing(), pgpDb, "yaml");
        assertThat(pgpEncrypted).doesNotContain(PGP_PASSWORD).contains(pgp.fingerprint());
        url = stack.git().create("sops");
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory("sops"), url)) {
            repo.write(
                            "app/kustomization.yaml",
                            """
                            resources: [db.yaml, settings.yaml]
                            secretGenerator:
                            - name: env-secret
                              envs: [secret.env]
                              options: {disableNameSuffixHash: true}
                            """)
                    .write("app/db.yaml", encrypt(key.recipient(), db, "yaml", true))
                    .write(
                            "app/secret.env",
                            encrypt(key.recipient(), "TOKEN=" + TOKEN + "\n", "dotenv", false))
                    .write(
                            "app/settings.yaml",
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
                                    + "data: {a: b}\n")
                    .write("pgp/kustomization.yaml", "resources: [db.yaml]\n")
                    .write("pgp/db.yaml", pgpEncrypted)
                    .write(".sops.yaml", "creation_rules: [{age: " + key.recipient() + "}]\n")
                    .commitAndPush("encrypted with sops and age");
        }
    }

    @Test
    void theRightKeyAppliesTheDecryptedValuesAndNoTopicHoldsThem() throws Exception {
        String ns = kustomization("sops-right", Map.of("age.agekey", identity), "./app");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> {
                            assertThat(value(ns, "db", "password")).isEqualTo(PASSWORD);
                            assertThat(value(ns, "env-secret", "TOKEN")).isEqualTo(TOKEN);
                        });
        assertThat(client.configMaps().inNamespace(ns).withName("settings").get()).isNotNull();

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
        assertThat(records).anyMatch(r -> ("Kustomization/" + ns + "/app").equals(r.key()));
        for (ConsumerRecord<String, String> record : records) {
            for (String form : TopicReader.readableForms(record)) {
                assertThat(form)
                        .as("%s record %s", record.topic(), record.key())
                        .doesNotContain(PASSWORD)
                        .doesNotContain(TOKEN);
            }
        }
    }

    @Test
    void aWrongKeyFailsTheKustomizationAndAppliesNothingOfIt() throws Exception {
        String otherIdentity = sops.newAgeKey().identity();
        String ns = kustomization("sops-wrong", Map.of("age.agekey", otherIdentity), "./app");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(c.getMessage())
                                                            .contains("decryption of")
                                                            .contains("secret.env");
                                                }));
        assertThat(client.configMaps().inNamespace(ns).withName("settings").get())
                .as("nothing of the Kustomization applied")
                .isNull();
        assertThat(client.secrets().inNamespace(ns).withName("db").get()).isNull();
    }

    @Test
    void anOpenPgpKeyDecryptsAsKustomizeControllerImportsIt() throws Exception {
        String ns = kustomization("sops-pgp", Map.of("pgp.asc", pgp.armoredSecretKey()), "./pgp");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> assertThat(value(ns, "db", "password")).isEqualTo(PGP_PASSWORD));
    }

    @Test
    void aDecryptionKeyThatIsNoOpenPgpKeyFailsNamingItsEntry() throws Exception {
        String ns =
                kustomization(
                        "sops-pgp-broken",
                        Map.of("broken.asc", "not-a-valid-armored-key"),
                        "./pgp");
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () ->
                                assertThat(ready(ns))
                                        .hasValueSatisfying(
                                                c -> {
                                                    assertThat(c.getStatus()).isEqualTo("False");
                                                    assertThat(c.getReason())
                                                            .isEqualTo("BuildFailed");
                                                    assertThat(c.getMessage())
                                                            .startsWith(
                                                                    "failed to import 'broken.asc'"
                                                                            + " data from sops"
                                                                            + " decryption Secret '"
                                                                            + ns
                                                                            + "/sops-age'");
                                                }));
        assertThat(client.secrets().inNamespace(ns).withName("db").get()).isNull();
    }

    /**
     * A namespace with the repository, a decryption Secret holding {@code keys}, and a
     * Kustomization of {@code path}.
     */
    private static String kustomization(String ns, Map<String, String> keys, String path) {
        Manifests.apply(client, Manifests.namespace(ns));
        Manifests.createSecret(client, ns, "sops-age", keys);
        Manifests.apply(client, Manifests.gitRepository(ns, "repo", url, "1h"));
        Manifests.apply(
                client,
                Manifests.kustomization(ns, "app", "repo", path).replace("  wait: true\n", "")
                        + """
                          targetNamespace: %s
                          decryption:
                            provider: sops
                            secretRef: {name: sops-age}
                        """
                                .formatted(ns));
        return ns;
    }

    private static String encrypt(String recipient, String plain, String type, boolean onlyData)
            throws Exception {
        String encrypted = sops.encrypt(recipient, plain, type, onlyData);
        assertThat(encrypted).doesNotContain(PASSWORD).doesNotContain(TOKEN);
        return encrypted;
    }

    private static String value(String ns, String name, String key) {
        Secret secret = client.secrets().inNamespace(ns).withName(name).get();
        return secret == null || secret.getData() == null || secret.getData().get(key) == null
                ? ""
                : new String(
                        Base64.getDecoder().decode(secret.getData().get(key)),
                        StandardCharsets.UTF_8);
    }

    private static Optional<Condition> ready(String ns) {
        Kustomization ks =
                client.resources(Kustomization.class).inNamespace(ns).withName("app").get();
        return ks == null || ks.getStatus() == null
                ? Optional.empty()
                : Conditions.find(ks.getStatus().conditions, Conditions.READY);
    }
}
