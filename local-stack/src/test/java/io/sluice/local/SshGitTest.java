package io.sluice.local;

import static io.sluice.local.DeployKeys.knownHosts;
import static io.sluice.local.DeployKeys.pkcs8;
import static io.sluice.local.DeployKeys.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.contracts.meta.Conditions;
import io.sluice.contracts.source.GitRepository;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitRepositories over SSH, with the Secret `flux create secret git` writes (identity,
 * identity.pub, known_hosts, password for an encrypted key), against a real SSH server on loopback:
 * each key type and format is fetched; a host key not in known_hosts is refused with Flux's words
 * and nothing is fetched.
 */
@ExtendWith(LocalStackExtension.class)
class SshGitTest {
    private static final String NS = "git-ssh";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static KubernetesClient client;
    private static String url;
    private static String commit;

    @BeforeAll
    static void repository() throws Exception {
        LocalStack stack = LocalStackExtension.stack();
        client = stack.client();
        Manifests.apply(client, Manifests.namespace(NS));
        String httpUrl = stack.git().create(NS);
        try (GitWorkspace repo = GitWorkspace.init(Files.createTempDirectory(NS), httpUrl)) {
            commit =
                    repo.write("app/settings.yaml", "apiVersion: v1\nkind: ConfigMap\n")
                            .commitAndPush("over ssh");
        }
        url = stack.git().sshUrl(NS + ".git");
    }

    @Test
    void anEcdsaKeyInPkcs8AsFluxsCliWritesIt() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ecdsa-sha2-nistp384", 384);
        assertFetched("ecdsa", secret(key, pkcs8(key), null, knownHosts()));
    }

    @Test
    void anEd25519KeyInPkcs8() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        assertFetched("ed25519", secret(key, pkcs8(key), null, knownHosts()));
    }

    @Test
    void aUrlWithoutAUserLogsInAsGit() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        String withoutUser = url.replace("ssh://git@", "ssh://");
        assertFetched("no-user", secret(key, pkcs8(key), null, knownHosts()), withoutUser);
    }

    @Test
    void anRsaKeyInOpenSshFormat() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-rsa", 2048);
        assertFetched("rsa", secret(key, openSsh(key, null), null, knownHosts()));
    }

    @Test
    void anEncryptedKeyWithItsPassword() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        assertFetched(
                "encrypted",
                secret(key, openSsh(key, "correct horse"), "correct horse", knownHosts()));
    }

    @Test
    void aHostKeyNotInKnownHostsIsRefusedAndNothingIsFetched() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        String otherHostKey =
                PublicKeyEntry.toString(KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic());
        String port = url.replaceAll(".*:(\\d+)/.*", "$1");
        assertRefused(
                "mismatch",
                secret(key, pkcs8(key), null, "[127.0.0.1]:" + port + " " + otherHostKey),
                "knownhosts: key mismatch");
        assertRefused(
                "unknown",
                secret(key, pkcs8(key), null, "git.example.com " + otherHostKey),
                "knownhosts: key is unknown");
        String hostKey = knownHosts().strip().split(" ", 2)[1];
        assertRefused(
                "revoked",
                secret(key, pkcs8(key), null, knownHosts() + "@revoked * " + hostKey + "\n"),
                "knownhosts: key is revoked");
        Map<String, String> noKnownHosts = secret(key, pkcs8(key), null, knownHosts());
        noKnownHosts.remove("known_hosts");
        assertRefused(
                "no-known-hosts",
                noKnownHosts,
                "invalid 'ssh' auth option: 'known_hosts' is required");
    }

    private static void assertFetched(String name, Map<String, String> data) throws Exception {
        assertFetched(name, data, url);
    }

    private static void assertFetched(String name, Map<String, String> data, String from)
            throws Exception {
        apply(name, data, from);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository(name);
                            assertThat(repo.getStatus()).isNotNull();
                            assertThat(repo.getStatus().artifact).isNotNull();
                            assertThat(repo.getStatus().artifact.revision)
                                    .isEqualTo("main@sha1:" + commit);
                        });
    }

    private static void assertRefused(String name, Map<String, String> data, String message)
            throws Exception {
        apply(name, data, url);
        await().atMost(DEADLINE)
                .untilAsserted(
                        () -> {
                            GitRepository repo = repository(name);
                            assertThat(ready(repo))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus()).isEqualTo("False");
                                                assertThat(c.getMessage()).contains(message);
                                            });
                            assertThat(repo.getStatus().artifact).isNull();
                        });
    }

    private static void apply(String name, Map<String, String> data, String from) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach(
                (k, v) ->
                        encoded.put(
                                k,
                                Base64.getEncoder()
                                        .encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.secrets()
                .inNamespace(NS)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(NS)
                                .endMetadata()
                                .withData(encoded)
                                .build())
                .create();
        Manifests.apply(
                client,
                """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: GitRepository
                metadata: {name: %s, namespace: %s}
                spec:
                  interval: 1h
                  url: %s
                  ref: {branch: main}
                  secretRef: {name: %s}
                """
                        .formatted(name, NS, from, name));
    }

    /** OpenSSH's own format, as ssh-keygen writes it; encrypted when a password is given. */
    private static String openSsh(KeyPair key, String password) throws Exception {
        OpenSSHKeyEncryptionContext options = new OpenSSHKeyEncryptionContext();
        if (password != null) {
            options.setPassword(password);
            options.setCipherName("AES");
            options.setCipherMode("CTR");
            options.setCipherType("256");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", options, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static GitRepository repository(String name) {
        return client.resources(GitRepository.class).inNamespace(NS).withName(name).get();
    }

    private static Optional<Condition> ready(GitRepository repo) {
        return repo == null || repo.getStatus() == null
                ? Optional.empty()
                : Conditions.find(repo.getStatus().conditions, Conditions.READY);
    }
}
